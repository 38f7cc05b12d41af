// Workflow step: what the client put on the wire (recorded by Relay), checked against what an
// unmodified legacy HttpWebRequest + NetworkCredential client does.
using System;
using System.Linq;

namespace LegacyClient {

public partial class Workflow {
  Relay relay_;

  public void Observe(Relay relay) { relay_ = relay; }

  void WireBehaviour() {
    if (relay_ == null) throw new StepFailure("no relay");
    var heads = relay_.Heads();
    int calls = V1Client.Calls;
    Check.True("requests recorded", heads.Count >= 2 * calls, heads.Count + " heads for " + calls + " calls");
    var anonymous = heads.Where(h => Wire.HeaderValue(h, "Authorization") == "").ToList();
    Check.Equal("each call first sent without credentials (challenge-response Basic)", calls, anonymous.Count);
    var known = new[] { user_.Authorization, admin_.Authorization, wrong_.Authorization };
    var sent = heads.Select(h => Wire.HeaderValue(h, "Authorization")).Where(a => a != "").ToList();
    Check.Equal("each call resent once with Basic credentials after the 401", calls, sent.Count);
    Check.True("every Authorization is one of our Basic credentials", sent.All(a => known.Contains(a)),
               "unexpected: " + string.Join(" | ", sent.Where(a => !known.Contains(a)).Distinct()));
    Check.True("every request carries X-ApiKey", heads.All(h => Wire.HeaderValue(h, "X-ApiKey") == user_.ApiKey),
               "missing on: " + string.Join(" | ", heads.Where(h => Wire.HeaderValue(h, "X-ApiKey") == "").Select(Wire.RequestLine)));
    var bodies = heads.Where(h => Wire.RequestLine(h).StartsWith("POST ") && Wire.HeaderValue(h, "Content-Length") != "" &&
                                  Wire.HeaderValue(h, "Content-Length") != "0").ToList();
    Check.True("POSTs with a body were made", bodies.Count > 0, "none");
    Check.True("every POST with a body announced Expect: 100-continue",
               bodies.All(h => Wire.HeaderValue(h, "Expect").ToLowerInvariant() == "100-continue"),
               "without: " + string.Join(" | ", bodies.Where(h => Wire.HeaderValue(h, "Expect") == "").Select(Wire.RequestLine)));
  }
}

}  // namespace LegacyClient
