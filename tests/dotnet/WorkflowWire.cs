// Workflow step: what the client put on the wire (recorded by Relay), checked against what an
// unmodified legacy HttpWebRequest + NetworkCredential client does.
using System;
using System.Collections.Generic;
using System.Linq;

namespace LegacyClient {

public partial class Workflow {
  Relay relay_;

  public void Observe(Relay relay) { relay_ = relay; }

  // Per call (matched by its X-Client-Call header): the first request went without
  // Authorization; the resend after the 401 carried this client's Basic credentials; a call has
  // exactly those two requests unless pcbridge refused its input (400) before asking for
  // credentials. Every request carried X-ApiKey; every POST with a body announced Expect:
  // 100-continue.
  void WireBehaviour() {
    if (relay_ == null) throw new StepFailure("no relay");
    var heads = relay_.Heads();
    var replies = V1Client.Replies.ToDictionary(r => r.Number);
    var problems = new List<string>();
    int challenged = 0;
    for (int n = 1; n <= V1Client.Calls; n++) {
      var mine = heads.Where(h => Wire.HeaderValue(h, "X-Client-Call") == n.ToString()).ToList();
      Reply reply;
      replies.TryGetValue(n, out reply);
      var call = reply.Call + (reply.Status == 0 ? " (no answer)" : "");
      if (mine.Count == 0) {
        problems.Add(call + ": not seen on the wire");
        continue;
      }
      if (Wire.HeaderValue(mine[0], "Authorization") != "") problems.Add(call + ": credentials sent before any challenge");
      bool refused_early = reply.Status == 400 && mine.Count == 1;
      if (mine.Count != 2 && !refused_early) problems.Add(call + ": " + mine.Count + " requests on the wire, expected 2");
      if (mine.Count >= 2) {
        challenged++;
        if (Wire.HeaderValue(mine[1], "Authorization") != reply.Authorization)
          problems.Add(call + ": resent with Authorization \"" + Wire.HeaderValue(mine[1], "Authorization") + "\"");
      }
    }
    Check.True("challenge-response Basic on every call (first without credentials, resent with them after the 401)",
               problems.Count == 0, string.Join(" | ", problems));
    Check.True("calls challenged and resent", challenged > 0, "none");
    Check.True("every request carries X-ApiKey", heads.All(h => Wire.HeaderValue(h, "X-ApiKey") == user_.ApiKey),
               "missing on: " + string.Join(" | ", heads.Where(h => Wire.HeaderValue(h, "X-ApiKey") == "").Select(Wire.RequestLine)));
    var bodies = heads.Where(h => Wire.RequestLine(h).StartsWith("POST ") && Wire.HeaderValue(h, "Content-Length") != "" &&
                                  Wire.HeaderValue(h, "Content-Length") != "0").ToList();
    Check.True("POSTs with a body were made", bodies.Count > 0, "none");
    Check.True("every POST with a body announced Expect: 100-continue",
               bodies.All(h => Wire.HeaderValue(h, "Expect").ToLowerInvariant() == "100-continue"),
               "without: " + string.Join(" | ", bodies.Where(h => Wire.HeaderValue(h, "Expect") == "").Select(Wire.RequestLine)));
  }

  // mapping.md §7: every answer carries x-amzn-RequestId, the id the V1 troubleshooting page
  // tells users to quote (pcbridge's own errors included).
  void RequestIdOnEveryAnswer() {
    var replies = V1Client.Replies.Where(r => r.Status > 0).ToList();
    Check.True("answers recorded", replies.Count > 0, "none");
    var without = replies.Where(r => r.Header("x-amzn-RequestId") == "").Select(r => r.Status + " " + r.Call).ToList();
    Check.True("x-amzn-RequestId on all " + replies.Count + " answers", without.Count == 0,
               without.Count + " without it: " + string.Join(" | ", without.Take(5)) + (without.Count > 5 ? " ..." : ""));
  }
}

}  // namespace LegacyClient
