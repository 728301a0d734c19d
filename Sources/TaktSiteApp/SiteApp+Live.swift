import Foundation
import Hummingbird
import TaktCore
import TaktStore
import TaktWeb

/// Live updates: open pages learn of a new finding or hold without a reload, through server-sent events
/// (`/events`) and a small script (`/app.js`). Pages work the same without them.
extension SiteApp {
    /// What a page is told when something new needs attention.
    struct LiveEvent: Encodable {
        var finding: Int64
        var severity: String
        var text: String
    }

    static let script = """
        (function () {
          if (!window.EventSource) return;
          var source = new EventSource('/events');
          source.addEventListener('finding', function (event) {
            var data = JSON.parse(event.data);
            var banner = document.getElementById('live');
            if (!banner) {
              banner = document.createElement('a');
              banner.id = 'live';
              banner.href = '/findings';
              document.querySelector('main').prepend(banner);
            }
            banner.className = 'card ' + data.severity;
            banner.textContent = data.text;
          });
        })();
        """

    func addLive(to router: Router<WebContext>) {
        router.get("/app.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: Self.script)))
        }
        router.get("/events") { request, _ in
            guard let session = try self.session(request) else {
                return Response(status: .unauthorized)
            }
            return self.events(session, after: try self.host.store.latestFindingID())
        }
    }

    /// A stream that tells the page of every finding raised after `after`, checking every `liveInterval`
    /// seconds, until `liveDuration` has passed (the browser then reconnects) or the page is gone.
    func events(_ session: Session, after first: Int64) -> Response {
        let texts = session.texts
        let (interval, duration) = (liveInterval, liveDuration)
        let store = host.store
        let body = ResponseBody { writer in
            var last = first
            let end = Date().addingTimeInterval(duration)
            try await writer.write(ByteBuffer(string: "retry: 5000\n: connected\n\n"))
            while Date() < end {
                try await Task.sleep(for: .seconds(interval))
                // Only what is new since the last look: a year of findings is not read every two seconds.
                for finding in try store.findings(after: last) {
                    last = max(last, finding.id ?? last)
                    let event = LiveEvent(
                        finding: finding.id ?? 0, severity: finding.severity.rawValue,
                        text: texts("live.finding", finding.message(in: texts.locale)))
                    let data = String(decoding: try JSONEncoder().encode(event), as: UTF8.self)
                    try await writer.write(ByteBuffer(string: "event: finding\ndata: \(data)\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }
}
