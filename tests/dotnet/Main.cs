// A legacy V1 client, written as one was written against the V1 service: HttpWebRequest +
// NetworkCredential + XmlSerializer classes (Shapes.cs). Runs the whole legacy workflow through
// pcbridge (and the bundled V2 simulator behind it) and checks that every answer deserialises
// and every value round-trips. Usage:
//   mono client.exe <v1-base-url> <user> <password> <admin-user> <admin-password> <api-key> [known-failures-file]
// Exit code 0 when no check failed (known failures, listed in the file, print SKIP and do not count).
using System;

namespace LegacyClient {

public static class MainClass {
  public static int Main(string[] args) {
    if (args.Length < 6) {
      Console.Error.WriteLine("usage: client.exe <v1-base-url> <user> <password> <admin-user> <admin-password> <api-key> [known-failures-file]");
      return 2;
    }
    if (args.Length > 6) Check.LoadKnown(args[6]);
    // The client talks to pcbridge through a recording relay (Relay.cs); the URL keeps its path.
    var target = new Uri(args[0]);
    var relay = new Relay(target.Host, target.Port);
    var via = new UriBuilder(target) { Port = relay.Port }.Uri.ToString();
    Console.WriteLine("pcbridge at " + args[0] + ", reached through the recording relay on port " + relay.Port);
    var user = new V1Client(via, args[1], args[2], args[5]);
    var admin = new V1Client(via, args[3], args[4], args[5]);
    var wrong = new V1Client(via, args[1], args[2] + "-wrong", args[5]);
    var w = new Workflow(user, admin, wrong);
    w.Observe(relay);
    w.Run();
    Console.WriteLine();
    Console.WriteLine(Check.Passed + " passed, " + Check.Failed + " failed" +
                      (Check.Skipped > 0 ? " (" + Check.Skipped + " known failures skipped, not counted as passes)" : ""));
    return Check.Failed == 0 ? 0 : 1;
  }
}

}  // namespace LegacyClient
