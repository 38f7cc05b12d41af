// The HTTP side of an unmodified legacy client: HttpWebRequest with NetworkCredential (so the
// first request goes out without credentials and is resent after the 401 Basic challenge),
// Expect: 100-continue on bodies as the framework does by default (no PreAuthenticate, no
// Expect100Continue = false), and the X-ApiKey header. Bodies are XmlSerializer output.
using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Serialization;

namespace LegacyClient {

public class Reply {
  public string Call = "";           // "METHOD path"
  public int Number;                 // the X-Client-Call header of its requests (1, 2, ...)
  public string Authorization = "";  // what its client sends once challenged
  public int Status;                 // HTTP status; 0 while (or when never) answered
  public bool Threw;                 // GetResponse threw a WebException (any non-2xx does)
  public WebExceptionStatus ExceptionStatus;
  public string ContentType = "";
  public WebHeaderCollection Headers = new WebHeaderCollection();
  public byte[] Body = new byte[0];
  public string Text { get { return Encoding.UTF8.GetString(Body); } }
  public string Header(string name) { return Headers[name] ?? ""; }
}

public class V1Client {
  readonly string base_;   // ".../Services.svc/v1"
  readonly NetworkCredential credential_;
  readonly string api_key_;

  public static int Calls;  // every Send, numbered in X-Client-Call for the wire check
  public static readonly List<Reply> Replies = new List<Reply>();  // every call, in order

  public V1Client(string baseUrl, string user, string password, string apiKey) {
    base_ = baseUrl.TrimEnd('/');
    credential_ = new NetworkCredential(user, password);
    api_key_ = apiKey;
  }

  public string ApiKey { get { return api_key_; } }

  // What HttpWebRequest sends once challenged.
  public string Authorization {
    get { return "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credential_.UserName + ":" + credential_.Password)); }
  }

  // One call. `path` is appended to the base as given (the caller encodes query values).
  public Reply Send(string method, string path, byte[] body = null, string contentType = null,
                    IDictionary<string, string> headers = null) {
    int number = ++Calls;
    var reply = new Reply { Call = method + " " + path, Number = number, Authorization = Authorization };
    Replies.Add(reply);
    var request = (HttpWebRequest)WebRequest.Create(base_ + path);
    request.Method = method;
    request.Credentials = credential_;
    request.Headers.Add("X-ApiKey", api_key_);
    // Only so the relay's recording can be matched to calls; pcbridge ignores it.
    request.Headers.Add("X-Client-Call", number.ToString());
    request.Timeout = 30000;           // bounded: a stalled answer fails the step
    request.ReadWriteTimeout = 30000;
    if (headers != null)
      foreach (var h in headers) request.Headers.Add(h.Key, h.Value);
    if (body != null || method == "POST") {
      var bytes = body ?? new byte[0];
      if (contentType != null) request.ContentType = contentType;
      request.ContentLength = bytes.Length;
      using (var s = request.GetRequestStream()) s.Write(bytes, 0, bytes.Length);
    }

    HttpWebResponse response;
    try {
      response = (HttpWebResponse)request.GetResponse();
    } catch (WebException e) {
      reply.Threw = true;
      reply.ExceptionStatus = e.Status;
      response = e.Response as HttpWebResponse;
      if (response == null) throw new StepFailure(method + " " + path + ": no HTTP answer (" + e.Status + ": " + e.Message + ")");
    }
    using (response) {
      reply.Status = (int)response.StatusCode;
      reply.ContentType = response.ContentType ?? "";
      reply.Headers = response.Headers;
      using (var s = response.GetResponseStream())
      using (var m = new MemoryStream()) {
        s.CopyTo(m);
        reply.Body = m.ToArray();
      }
    }
    return reply;
  }

  public Reply Get(string path) { return Send("GET", path); }

  // A body as a .NET client of the time wrote it: XmlSerializer into a StringWriter (hence an
  // encoding="utf-16" declaration over the UTF-8 bytes actually sent).
  public Reply PostXml<T>(string path, T value) {
    var text = new StringWriter();
    new XmlSerializer(typeof(T)).Serialize(text, value);
    return Send("POST", path, Encoding.UTF8.GetBytes(text.ToString()), "application/xml");
  }

  public Reply Post(string path) { return Send("POST", path); }
}

// Reading an answer as a generated client does: XmlSerializer over the body, nothing lenient.
public static class Xml {
  public static T Read<T>(Reply reply) {
    try {
      using (var reader = XmlReader.Create(new MemoryStream(reply.Body)))
        return (T)new XmlSerializer(typeof(T)).Deserialize(reader);
    } catch (InvalidOperationException e) {
      // XmlSerializer wraps the cause ("The string 'True' is not a valid Boolean value", a wrong
      // root "<X xmlns=...> was not expected"): report the innermost message.
      Exception inner = e;
      while (inner.InnerException != null) inner = inner.InnerException;
      throw new StepFailure("XmlSerializer cannot read the " + typeof(T).Name + " answer: " + inner.Message +
                            " | " + Check.Shorten(reply.Text));
    }
  }
}

// Ends the current step: the client could not go on with it (what a real client would see as an
// exception). Counted as one failure.
public class StepFailure : Exception {
  public StepFailure(string message) : base(message) {}
}

}  // namespace LegacyClient
