// Inquiry threads and notes (§6.12). Every member name is [I]; see sim_shapes.hpp.
#include "tools/sim/sim_api.hpp"
#include "tools/sim/sim_shapes.hpp"

namespace pcbridge::sim {

namespace {
json render_thread(const inquiry_thread& t) {
  json j;
  j[shapes::thread_id] = t.id;
  j["ProjectId"] = t.project_id;
  j[shapes::thread_external_id] = string_or_null(t.external_id);
  j[shapes::thread_subject] = t.subject;
  j[shapes::thread_status] = t.status;
  j[shapes::thread_created_by] = t.created_by;
  j[shapes::thread_created_date] = format_inquiry_timestamp(t.created);
  j[shapes::thread_last_note_date] =
      t.notes.empty() ? json(nullptr) : json(format_inquiry_timestamp(t.notes.back().created));
  return j;
}

json render_note(const inquiry_thread& t, const inquiry_note& n) {
  json j;
  j[shapes::note_id] = n.id;
  j[shapes::thread_id] = t.id;
  j[shapes::note_text] = n.text;
  j[shapes::thread_created_by] = n.created_by;
  j[shapes::note_is_admin] = n.is_admin;
  j[shapes::thread_created_date] = format_inquiry_timestamp(n.created);
  return j;
}

json thread_answer(const inquiry_thread& t) {
  json body;
  body[shapes::inquiry_thread] = render_thread(t);
  return body;
}

found<inquiry_thread> thread_from_path(api_context& ctx, program& prog) {
  if (auto* t = find_thread(prog, ctx.param("t"))) return {t, {}};
  return {nullptr, problem(404, "Inquiry thread not found")};
}
}  // namespace

sim_response get_inquiry_threads(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto proj = project_from_path(ctx, *prog);
  if (!proj) return proj.error;
  json list = json::array();
  for (const auto& t : prog->threads) {
    if (t.project_id == proj->id) list.push_back(render_thread(t));
  }
  json body;
  body[shapes::inquiry_threads] = std::move(list);
  return json_response(200, body);
}

sim_response get_inquiry_notes(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto thread = thread_from_path(ctx, *prog);
  if (!thread) return thread.error;
  json list = json::array();
  for (const auto& n : thread->notes) list.push_back(render_note(*thread, n));
  json body;
  body[shapes::inquiry_notes] = std::move(list);
  return json_response(200, body);
}

sim_response set_inquiry_note(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto proj = project_from_path(ctx, *prog);
  if (!proj) return proj.error;
  auto body = json_body(ctx);
  if (auto* err = std::get_if<sim_response>(&body)) return *err;
  const auto& req = std::get<json>(body);
  if (!req.is_object()) return problem(400, "Body must be a JSON object");
  for (const auto& item : req.items()) {
    const auto& k = item.key();
    if (k != shapes::thread_id && k != shapes::thread_subject && k != shapes::note_text && k != shapes::note_is_admin) {
      return problem(400, "Unknown member " + k);
    }
  }
  const auto text = req.find(shapes::note_text);
  if (text == req.end() || !text->is_string() || text->get<std::string>().empty()) {
    return problem(400, "Text must be a non-empty string");
  }
  const auto subject = req.find(shapes::thread_subject);
  if (subject != req.end() && !subject->is_string()) return problem(400, "Subject must be a string");
  const auto is_admin = req.find(shapes::note_is_admin);
  if (is_admin != req.end() && !is_admin->is_boolean()) return problem(400, "IsAdmin must be a boolean");
  const auto thread_key = req.find(shapes::thread_id);
  if (thread_key != req.end() && !thread_key->is_string() && !thread_key->is_null()) {
    return problem(400, "ThreadId must be a string or null");
  }

  // A ThreadId adds to that thread of this project; without one a new thread is opened.
  inquiry_thread* thread = nullptr;
  if (thread_key != req.end() && thread_key->is_string()) {
    thread = find_thread(*prog, thread_key->get<std::string>());
    if (!thread || thread->project_id != proj->id) return problem(404, "Inquiry thread not found");
  } else {
    inquiry_thread t;
    t.id = next_id(ctx.store, "THR");
    t.project_id = proj->id;
    t.subject = subject != req.end() ? subject->get<std::string>() : std::string(shapes::default_thread_subject);
    t.status = shapes::thread_open;
    t.created_by = ctx.caller.email;
    t.created = ctx.now;
    prog->threads.push_back(std::move(t));
    thread = &prog->threads.back();
  }
  const bool admin = is_admin == req.end() || is_admin->get<bool>();  // API users are administrators
  thread->notes.push_back({next_id(ctx.store, "NTE"), text->get<std::string>(), ctx.caller.email, admin, ctx.now});
  json out;
  out[shapes::inquiry_note] = render_note(*thread, thread->notes.back());
  return json_response(200, out);
}

sim_response set_inquiry_thread_status(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto thread = thread_from_path(ctx, *prog);
  if (!thread) return thread.error;
  const auto& wanted = ctx.param("ts");
  if (wanted != shapes::thread_open && wanted != shapes::thread_closed) {
    return problem(400, "Thread status must be Open or Closed");
  }
  thread->status = wanted;
  return json_response(200, thread_answer(*thread));
}

sim_response set_inquiry_thread_external_id(api_context& ctx) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto thread = thread_from_path(ctx, *prog);
  if (!thread) return thread.error;
  thread->external_id = ctx.param("x");
  return json_response(200, thread_answer(*thread));
}

}  // namespace pcbridge::sim
