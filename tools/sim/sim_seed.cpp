#include "tools/sim/sim_seed.hpp"

#include "tools/sim/sim_shapes.hpp"

namespace pcbridge::sim {

namespace {
const person pat{"Pat Owner", "owner@example.com"};
const person sam{"Sam Installer", "installer@example.com"};
const person riley{"Riley Reviewer", "reviewer@example.com"};

field_def field(std::string id, std::optional<std::string> custom_id, std::string name, field_type type) {
  field_def f;
  f.id = std::move(id);
  f.custom_id = std::move(custom_id);
  f.name = std::move(name);
  f.type = type;
  return f;
}

field_def required(field_def f) {
  f.required = true;
  return f;
}

field_def multi(field_def f) {
  f.multi_instance = true;
  return f;
}

// Net Metering: the program the demo and most tests use. Its workflow:
// Unsubmitted -(submit form 1)-> Application Review -> Incomplete -(resubmit form 1)-> Application Review
// -> Approved -(submit form 2)-> Completion Review -> Permission to Operate; Withdrawn from any open status.
program net_metering() {
  program p;
  p.id = "PRG0M4A7B2CD";
  p.name = "Net Metering";
  p.number_prefix = "NM";
  const std::string unsubmitted = "U5N0B1T2D3AA", review = "ST8R1V6N3LQA", incomplete = "NC0M9L3T4E5S",
                    approved = "AP9R0V3D4XYZ", completion = "CR5V7W2Q8K1M", pto = "PT0K7L2M9N4P",
                    withdrawn = "WD7H1D2R4W5N";
  p.statuses = {
      {unsubmitted, std::nullopt, "Unsubmitted", {withdrawn}},
      {review, "AppReview", "Application Review", {incomplete, approved, withdrawn}},
      {incomplete, "Incomplete", "Incomplete", {review, withdrawn}},
      {approved, "Approved", "Approved", {withdrawn}},
      {completion, std::nullopt, "Completion Review", {pto, approved, withdrawn}},
      {pto, "PTO", "Permission to Operate", {}},
      {withdrawn, std::nullopt, "Withdrawn", {}},
  };

  form_def application;
  application.id = "F0RM1A2B3C4D";
  application.custom_id = "InterconnectionApp";
  application.name = "Interconnection Application";
  application.available_in = {unsubmitted, incomplete};
  application.leads_to = review;
  auto size = required(field("DF2SYSSIZE02", "SystemSizeKw", "System size (kW)", field_type::number));
  size.min = "0";
  size.max = "1000";
  auto utility = required(field("DF4UTILITY04", "Utility", "Utility", field_type::choice));
  utility.choices = {"Pacific Power", "City Light", "Rural Electric Coop"};
  auto inverters = multi(field("DF9INVERTER9", std::nullopt, "Inverter manufacturer", field_type::choice));
  inverters.choices = {"Acme", "Enphase", "SolarEdge", "Other"};
  auto account = field("DF8ACCOUNT08", "AccountNumber", "Utility account number", field_type::text);
  account.sensitive = true;
  application.fields = {
      required(field("DF0CUSTNAME1", "CustomerName", "Customer name", field_type::text)),
      field("DF1BATTERY01", std::nullopt, "Has battery", field_type::boolean),
      size,
      multi(field("DF3DATES0003", "InstallDates", "Install dates", field_type::date)),
      utility,
      field("DF5INSPDATE5", "InspectionDate", "Inspection date", field_type::date),
      // A Text field whose name says "date": its values must never be treated as dates.
      field("DF6PREFDATE6", "PreferredDate", "Preferred install date", field_type::text),
      field("DF7METERNO07", "MeterNo", "Meter number", field_type::text),
      account,
      inverters,
  };
  application.attachments = {{"AT1UTILBILL1", "UtilityBill", "Utility Bill"},
                             {"AT2SITEPLAN2", std::nullopt, "Site Plan"}};

  form_def certificate;
  certificate.id = "F0RM2E5F6G7H";
  certificate.custom_id = "Completion";
  certificate.name = "Completion Certificate";
  certificate.available_in = {approved};
  certificate.leads_to = completion;
  certificate.fields = {
      required(field("DFACOMPDATEA", "CompletionDate", "Completion date", field_type::date)),
      field("DFBPASSEDINB", std::nullopt, "Passed inspection", field_type::boolean),
      field("DFCNOTES000C", "InstallerNotes", "Installer notes", field_type::text),
  };
  certificate.attachments = {{"AT3COMPHOTO3", "CompletionPhoto", "Completion Photo"}};
  p.forms = {application, certificate};

  project approved_project;
  approved_project.id = "PRJ7K2M9Q4XZ";
  approved_project.number = "NM-00001";
  approved_project.owner = pat;
  approved_project.created = local_time(2024, 1, 10, 9, 0, 0);
  approved_project.last_change = local_time(2024, 2, 1, 14, 0, 0);
  approved_project.history = {
      {approved, riley.email, "Program Administrator", local_time(2024, 2, 1, 14, 0, 0)},
      {review, pat.email, std::nullopt, local_time(2024, 1, 12, 10, 30, 0)},
      {unsubmitted, pat.email, std::nullopt, local_time(2024, 1, 10, 9, 0, 0)},
  };
  approved_project.submitted = {
      {"DF0CUSTNAME1", {"Alex Rivera"}}, {"DF1BATTERY01", {"false"}},
      {"DF2SYSSIZE02", {"7.6"}},         {"DF3DATES0003", {"2024-02-14", ""}},
      {"DF4UTILITY04", {"Pacific Power"}}, {"DF5INSPDATE5", {"2024-01-30"}},
      {"DF6PREFDATE6", {"2024-01-02"}},  {"DF7METERNO07", {"MTR-1001"}},
      {"DF8ACCOUNT08", {"9876543210"}},  {"DF9INVERTER9", {"Enphase", "Other"}},
  };
  approved_project.draft = approved_project.submitted;
  approved_project.files["AT1UTILBILL1"] = {"bill.pdf", "application/pdf", "%PDF-1.4\n% seed utility bill\n%%EOF\n",
                                            local_time(2024, 1, 11, 8, 15, 0), pat, std::string(shapes::status_approved),
                                            "Looks complete"};

  project review_project;
  review_project.id = "PRJ5S6U7B8M9";
  review_project.number = "NM-00002";
  review_project.owner = sam;
  review_project.created = local_time(2024, 3, 4, 11, 20, 0);
  review_project.last_change = local_time(2024, 3, 5, 16, 45, 0);
  review_project.history = {
      {review, sam.email, std::nullopt, local_time(2024, 3, 5, 16, 45, 0)},
      {unsubmitted, sam.email, std::nullopt, local_time(2024, 3, 4, 11, 20, 0)},
  };
  review_project.submitted = {
      {"DF0CUSTNAME1", {"Jordan Lee"}},  {"DF1BATTERY01", {"true"}},
      {"DF2SYSSIZE02", {"11.4"}},        {"DF3DATES0003", {"2024-04-01"}},
      {"DF4UTILITY04", {"City Light"}},  {"DF6PREFDATE6", {"early April"}},
      {"DF7METERNO07", {"MTR-2002"}},
  };
  review_project.draft = review_project.submitted;

  project draft_project;
  draft_project.id = "PRJ3D4R5F6T7";
  draft_project.owner = pat;
  draft_project.created = local_time(2024, 5, 1, 12, 52, 11);
  draft_project.last_change = draft_project.created;
  draft_project.history = {{unsubmitted, pat.email, std::nullopt, draft_project.created}};
  draft_project.draft = {{"DF0CUSTNAME1", {"Casey Kim"}}, {"DF2SYSSIZE02", {"4.2"}}};

  p.projects = {approved_project, review_project, draft_project};
  p.numbers_issued = 2;

  inquiry_thread missing_bill{"THR1A2B3C4D5", review_project.id, std::nullopt, "Missing utility bill",
                              std::string(shapes::thread_open), riley.email, local_time(2024, 3, 6, 9, 30, 0), {}};
  missing_bill.notes = {
      {"NTE1A2B3C4D5", "Please upload the utility bill.", riley.email, true, local_time(2024, 3, 6, 9, 30, 0)},
      {"NTE2E3F4G5H6", "Uploading it this week.", sam.email, false, local_time(2024, 3, 7, 8, 5, 0)},
  };
  inquiry_thread meter{"THR6F7G8H9J0", approved_project.id, "EXT-42", "Meter location",
                       std::string(shapes::thread_closed), riley.email, local_time(2024, 1, 15, 10, 0, 0), {}};
  meter.notes = {{"NTE3J4K5L6M7", "Meter is on the north wall.", riley.email, true, local_time(2024, 1, 15, 10, 0, 0)}};
  p.threads = {missing_bill, meter};
  return p;
}

// Battery Rebate: a second, small program, so tests can check that ids do not leak across programs.
program battery_rebate() {
  program p;
  p.id = "PRG2B4T5R6YZ";
  p.name = "Battery Rebate";
  p.number_prefix = "BR";
  const std::string unsubmitted = "U2N5B6T7D8BB", review = "RB4R3V1E9W0C", paid = "PD7A1D2X3Y4Z",
                    withdrawn = "WX2D3R4W5N6P";
  p.statuses = {
      {unsubmitted, std::nullopt, "Unsubmitted", {withdrawn}},
      {review, "RebateReview", "Rebate Review", {paid, withdrawn}},
      {paid, std::nullopt, "Paid", {}},
      {withdrawn, std::nullopt, "Withdrawn", {}},
  };
  form_def claim;
  claim.id = "F0RM3J8K9L0M";
  claim.custom_id = "RebateClaim";
  claim.name = "Rebate Claim";
  claim.available_in = {unsubmitted};
  claim.leads_to = review;
  auto capacity = required(field("DFR1CAPACITY", std::nullopt, "Battery capacity (kWh)", field_type::number));
  capacity.min = "1";
  claim.fields = {capacity, field("DFR2PURCHASE", "PurchaseDate", "Purchase date", field_type::date)};
  claim.attachments = {{"ATR1RECEIPT1", "Receipt", "Receipt"}};
  p.forms = {claim};

  project draft;
  draft.id = "PRJ9B8R7C6D5";
  draft.owner = pat;
  draft.created = local_time(2024, 6, 3, 8, 0, 0);
  draft.last_change = draft.created;
  draft.history = {{unsubmitted, pat.email, std::nullopt, draft.created}};
  p.projects = {draft};
  return p;
}
}  // namespace

sim_store make_seed_store() {
  sim_store store;
  store.programs = {net_metering(), battery_rebate()};
  store.users = {pat, sam, riley};
  return store;
}

}  // namespace pcbridge::sim
