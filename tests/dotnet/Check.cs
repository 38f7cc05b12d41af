// Steps and checks: every check prints one line (ok / FAIL / SKIP) naming what it compared. A
// step listed in the known-failures file (step name, then the reason) prints its failing checks
// as "SKIP (known: reason)": they are never counted as passes, and a known step that passes
// whole says so, so its entry can be removed.
using System;
using System.Collections.Generic;
using System.IO;

namespace LegacyClient {

public static class Check {
  public static int Passed, Failed, Skipped;
  static readonly Dictionary<string, string> known_ = new Dictionary<string, string>();
  static string step_ = "";
  static int step_problems_;

  // Lines "StepName<TAB or spaces>reason"; '#' starts a comment.
  public static void LoadKnown(string path) {
    foreach (var raw in File.ReadAllLines(path)) {
      var line = raw.Trim();
      if (line.Length == 0 || line[0] == '#') continue;
      int cut = line.IndexOfAny(new[] { ' ', '\t' });
      var name = cut < 0 ? line : line.Substring(0, cut);
      known_[name] = cut < 0 ? "no reason given" : line.Substring(cut).Trim();
    }
  }

  // Runs one step; a StepFailure or any other exception ends it as one failed check.
  public static void Step(string name, Action body) {
    step_ = name;
    step_problems_ = 0;
    Console.WriteLine("== " + name + (known_.ContainsKey(name) ? "   (listed as known failure: " + known_[name] + ")" : ""));
    try {
      body();
    } catch (StepFailure e) {
      Problem("step stopped", e.Message);
    } catch (Exception e) {
      Problem("step stopped", e.GetType().Name + ": " + e.Message);
    }
    if (known_.ContainsKey(name) && step_problems_ == 0)
      Console.WriteLine("   note: known-failure step " + name + " passed whole; remove it from the known failures");
  }

  public static void True(string what, bool ok, string detail = "") {
    if (ok) {
      Passed++;
      Console.WriteLine("   ok   " + what);
    } else {
      Problem(what, detail);
    }
  }

  public static void Equal<T>(string what, T expected, T actual) {
    bool ok = Equals(expected, actual);
    True(what + " = " + Show(expected), ok, "got " + Show(actual));
  }

  // Stops the step when `value` is null: a generated client would have nothing to go on.
  public static T NotNull<T>(string what, T value) where T : class {
    if (value == null) throw new StepFailure(what + " is null (missing, or not where the V1 shape has it)");
    return value;
  }

  static void Problem(string what, string detail) {
    step_problems_++;
    string reason;
    if (known_.TryGetValue(step_, out reason)) {
      Skipped++;
      Console.WriteLine("   SKIP (known: " + reason + ") [" + step_ + "] " + what + (detail.Length > 0 ? ": " + detail : ""));
    } else {
      Failed++;
      Console.WriteLine("   FAIL [" + step_ + "] " + what + (detail.Length > 0 ? ": " + detail : ""));
    }
  }

  public static string Show<T>(T v) {
    if (v == null) return "null";
    if (v is string) return "\"" + v + "\"";
    if (v is DateTime) return ((DateTime)(object)v).ToString("o");
    if (v is bool) return (bool)(object)v ? "true" : "false";
    return v.ToString();
  }

  public static string Shorten(string s) {
    s = s.Replace("\r", "").Replace("\n", " ");
    return s.Length <= 600 ? s : s.Substring(0, 600) + "...";
  }
}

}  // namespace LegacyClient
