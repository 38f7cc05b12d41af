// A loopback TCP relay between the client and pcbridge that forwards bytes unchanged, both ways,
// and records the request heads the client sent, so the test can show the client behaved as an
// unmodified legacy one on the wire (no credentials until challenged, Expect: 100-continue on
// bodies, X-ApiKey everywhere). It neither parses nor changes what pcbridge sends back.
using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace LegacyClient {

public class Relay {
  readonly TcpListener listener_ = new TcpListener(IPAddress.Loopback, 0);
  readonly string target_host_;
  readonly int target_port_;
  readonly List<string> heads_ = new List<string>();

  public Relay(string host, int port) {
    target_host_ = host;
    target_port_ = port;
    listener_.Start();
    var t = new Thread(AcceptLoop) { IsBackground = true };
    t.Start();
  }

  public int Port { get { return ((IPEndPoint)listener_.LocalEndpoint).Port; } }

  public List<string> Heads() {
    lock (heads_) return new List<string>(heads_);
  }

  void AcceptLoop() {
    while (true) {
      TcpClient client;
      try {
        client = listener_.AcceptTcpClient();
      } catch (Exception) {
        return;
      }
      var t = new Thread(() => Serve(client)) { IsBackground = true };
      t.Start();
    }
  }

  void Serve(TcpClient client) {
    TcpClient server;
    try {
      server = new TcpClient(target_host_, target_port_);
    } catch (Exception) {
      client.Close();
      return;
    }
    var up = new Thread(() => Pump(client, server, true)) { IsBackground = true };
    up.Start();
    Pump(server, client, false);
    up.Join(60000);
    client.Close();
    server.Close();
  }

  // Copies until EOF, then half-closes the other side (so a close by pcbridge reaches the client).
  void Pump(TcpClient from, TcpClient to, bool record) {
    var heads = record ? new HeadScanner(this) : null;
    var buffer = new byte[16384];
    try {
      var input = from.GetStream();
      var output = to.GetStream();
      int n;
      while ((n = input.Read(buffer, 0, buffer.Length)) > 0) {
        if (heads != null) heads.Feed(buffer, n);
        output.Write(buffer, 0, n);
      }
    } catch (Exception) {
      // a reset on either side ends this direction
    }
    try {
      to.Client.Shutdown(SocketShutdown.Send);
    } catch (Exception) {
    }
  }

  void Record(string head) {
    lock (heads_) heads_.Add(head);
  }

  // Finds request heads in the client's byte stream: a head, then Content-Length body bytes,
  // unless the client announced Expect: 100-continue and then started a new request instead of
  // the body (it may, after an early final answer).
  class HeadScanner {
    readonly Relay owner_;
    readonly List<byte> head_ = new List<byte>();
    long body_left_;
    bool may_skip_body_;
    static readonly string[] methods = { "GET /", "POST /", "PUT /", "DELETE /", "HEAD /" };

    public HeadScanner(Relay owner) { owner_ = owner; }

    public void Feed(byte[] data, int count) {
      int i = 0;
      while (i < count) {
        if (body_left_ > 0) {
          if (may_skip_body_ && LooksLikeRequest(data, i, count)) {
            body_left_ = 0;
          } else {
            long take = Math.Min(body_left_, count - i);
            body_left_ -= take;
            i += (int)take;
            may_skip_body_ = false;
            continue;
          }
        }
        head_.Add(data[i++]);
        int h = head_.Count;
        if (h >= 4 && head_[h - 4] == '\r' && head_[h - 3] == '\n' && head_[h - 2] == '\r' && head_[h - 1] == '\n') {
          var text = Encoding.ASCII.GetString(head_.ToArray());
          head_.Clear();
          owner_.Record(text);
          body_left_ = ContentLength(text);
          may_skip_body_ = Wire.HeaderValue(text, "Expect").ToLowerInvariant() == "100-continue";
        }
      }
    }

    static bool LooksLikeRequest(byte[] data, int at, int count) {
      foreach (var m in methods) {
        if (count - at < m.Length) continue;
        if (Encoding.ASCII.GetString(data, at, m.Length) == m) return true;
      }
      return false;
    }

    static long ContentLength(string head) {
      long n;
      return long.TryParse(Wire.HeaderValue(head, "Content-Length"), out n) ? n : 0;
    }
  }
}

public static class Wire {
  // The value of the first header `name` in a request head, "" when absent.
  public static string HeaderValue(string head, string name) {
    foreach (var line in head.Split(new[] { "\r\n" }, StringSplitOptions.None)) {
      int colon = line.IndexOf(':');
      if (colon > 0 && string.Equals(line.Substring(0, colon).Trim(), name, StringComparison.OrdinalIgnoreCase))
        return line.Substring(colon + 1).Trim();
    }
    return "";
  }

  public static string RequestLine(string head) {
    int end = head.IndexOf("\r\n", StringComparison.Ordinal);
    return end < 0 ? head : head.Substring(0, end);
  }
}

}  // namespace LegacyClient
