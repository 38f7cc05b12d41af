// Attachments: metadata (§6.9/§6.10) and the file bytes (§6.13/§6.14, routes [I]).
// Files are stored per project and attachment definition; bytes pass through unchanged.
#include "tools/sim/sim_api.hpp"
#include "tools/sim/sim_render.hpp"
#include "tools/sim/sim_shapes.hpp"

namespace pcbridge::sim {

namespace {
struct attachment_target {
  program* prog;
  project* proj;
  const attachment_def* def;
};

// {a} is looked up among the attachments of form {f} when `form_scoped`, else of every form.
std::variant<attachment_target, sim_response> resolve(api_context& ctx, bool form_scoped) {
  auto prog = program_from_path(ctx);
  if (!prog) return prog.error;
  auto proj = project_from_path(ctx, *prog);
  if (!proj) return proj.error;
  const attachment_def* def = nullptr;
  if (form_scoped) {
    auto form = form_from_path(ctx, *prog);
    if (!form) return form.error;
    def = find_attachment(*form, ctx.param("a"));
  } else {
    def = find_attachment(*prog, ctx.param("a"));
  }
  if (!def) return problem(404, "Attachment not found");
  return attachment_target{prog.item, proj.item, def};
}

// Before any upload every file-related member is null.
json render_metadata(const attachment_target& t) {
  const auto it = t.proj->files.find(t.def->id);
  const stored_file* file = it == t.proj->files.end() ? nullptr : &it->second;
  json m;
  m["AttachmentId"] = t.def->id;
  m[shapes::attachment_name] = t.def->name;
  m["FileName"] = file ? json(file->file_name) : json(nullptr);
  m[shapes::file_size] = file ? json(file->bytes.size()) : json(nullptr);
  m[shapes::attachment_status] = file ? json(file->approval) : json(nullptr);
  m[shapes::attachment_note] = file ? string_or_null(file->note) : json(nullptr);
  m[shapes::upload_timestamp] = file ? json(format_timestamp(file->uploaded)) : json(nullptr);
  m[shapes::uploader] = file ? render_person(file->uploader) : json(nullptr);
  json body;
  body[shapes::attachment_metadata] = std::move(m);
  return body;
}

// The file name from `Content-Disposition: attachment; filename="x.pdf"` (or filename*=UTF-8''x.pdf).
std::optional<std::string> disposition_file_name(std::string_view header) {
  const auto lower = to_lower(header);
  if (const auto star = lower.find("filename*="); star != std::string::npos) {
    auto value = header.substr(star + 10);
    value = value.substr(0, value.find(';'));
    const auto quote = value.find("''");
    if (quote != std::string_view::npos) {
      if (auto decoded = percent_decode(value.substr(quote + 2), false)) return decoded;
    }
  }
  const auto pos = lower.find("filename=");
  if (pos == std::string::npos) return std::nullopt;
  auto value = header.substr(pos + 9);
  if (!value.starts_with('"')) {
    auto token = std::string(value.substr(0, value.find(';')));
    while (!token.empty() && token.back() == ' ') token.pop_back();
    return token.empty() ? std::nullopt : std::optional<std::string>(token);
  }
  std::string out;
  for (std::size_t i = 1; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      out.push_back(value[++i]);
    } else if (value[i] == '"') {
      return out.empty() ? std::nullopt : std::optional<std::string>(out);
    } else {
      out.push_back(value[i]);
    }
  }
  return std::nullopt;
}

std::string quoted_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}
}  // namespace

sim_response get_attachment_metadata(api_context& ctx) {
  auto target = resolve(ctx, false);
  if (auto* err = std::get_if<sim_response>(&target)) return *err;
  return json_response(200, render_metadata(std::get<attachment_target>(target)));
}

sim_response set_attachment_metadata(api_context& ctx) {
  auto target = resolve(ctx, false);
  if (auto* err = std::get_if<sim_response>(&target)) return *err;
  const auto& t = std::get<attachment_target>(target);
  auto body = json_body(ctx);
  if (auto* err = std::get_if<sim_response>(&body)) return *err;
  const auto& req = std::get<json>(body);
  if (!req.is_object()) return problem(400, "Body must be {\"AttachmentStatus\",\"Note\"}");
  for (const auto& item : req.items()) {
    if (item.key() != shapes::attachment_status && item.key() != shapes::attachment_note) {
      return problem(400, "Unknown member " + item.key());
    }
  }
  const auto verb = req.find(shapes::attachment_status);
  if (verb == req.end() || !verb->is_string()) return problem(400, "AttachmentStatus must be Approve, Reject, Unmark or Save");
  const auto note = req.find(shapes::attachment_note);
  if (note != req.end() && !note->is_string() && !note->is_null()) return problem(400, "Note must be a string or null");

  // V1 mapping (§6.10): Approve→Approved, Reject→Rejected, Unmark→Pending, Save keeps the status.
  const auto v = verb->get<std::string>();
  std::optional<std::string_view> approval;
  if (v == shapes::verb_approve) {
    approval = shapes::status_approved;
  } else if (v == shapes::verb_reject) {
    approval = shapes::status_rejected;
  } else if (v == shapes::verb_unmark) {
    approval = shapes::status_pending;
  } else if (v != shapes::verb_save) {
    return problem(400, "AttachmentStatus must be Approve, Reject, Unmark or Save");
  }
  const auto file = t.proj->files.find(t.def->id);
  if (file == t.proj->files.end()) return problem(409, "No file has been uploaded for attachment " + t.def->id);
  if (approval) file->second.approval = *approval;
  if (note != req.end()) {
    file->second.note = note->is_null() ? std::nullopt : std::optional<std::string>(note->get<std::string>());
  }
  touch(*t.proj, ctx.now);
  return json_response(200, render_metadata(t));
}

sim_response upload_attachment(api_context& ctx) {
  auto target = resolve(ctx, true);
  if (auto* err = std::get_if<sim_response>(&target)) return *err;
  const auto& t = std::get<attachment_target>(target);
  if (ctx.request.body.empty()) return problem(400, "The request body must hold the file");
  stored_file file;
  const auto type = ctx.request.headers.find("Content-Type");
  file.content_type = type && !type->empty() ? std::string(*type) : std::string(shapes::default_upload_content_type);
  const auto disposition = ctx.request.headers.find("Content-Disposition");
  file.file_name = (disposition ? disposition_file_name(*disposition) : std::nullopt)
                       .value_or(std::string(shapes::default_upload_file_name));
  file.bytes = ctx.request.body;
  file.uploaded = ctx.now;
  file.uploader = ctx.caller;
  file.approval = shapes::status_pending;  // a new file needs a new review
  t.proj->files[t.def->id] = std::move(file);
  touch(*t.proj, ctx.now);
  return json_response(200, render_metadata(t));
}

sim_response download_attachment(api_context& ctx) {
  auto target = resolve(ctx, false);
  if (auto* err = std::get_if<sim_response>(&target)) return *err;
  const auto& t = std::get<attachment_target>(target);
  const auto file = t.proj->files.find(t.def->id);
  if (file == t.proj->files.end()) return problem(404, "No file has been uploaded for attachment " + t.def->id);
  sim_response r;
  r.headers.add("Content-Type", file->second.content_type);
  r.headers.add("Content-Disposition", "attachment; filename=" + quoted_string(file->second.file_name));
  r.body = file->second.bytes;
  return r;
}

}  // namespace pcbridge::sim
