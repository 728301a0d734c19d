import CCurl
import Crypto
import Foundation
import TaktCore
import TaktSync

/// Alerts over the network: e-mail through the site's SMTP server with the system libcurl (STARTTLS when the server
/// offers it, TLS from the start for `smtps://`), and webhooks as a JSON POST signed with HMAC-SHA256 over
/// `timestamp.body` (header `X-Takt-Signature: t=…,sha256=…`), each carrying its delivery id.
public struct NetworkAlertChannels: AlertChannels {
    /// Reads secrets (the SMTP password, the webhook key) by variable name; the process environment by default.
    let environment: @Sendable (String) -> String?

    public init(environment: @escaping @Sendable (String) -> String? = { ProcessInfo.processInfo.environment[$0] }) {
        self.environment = environment
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func send(_ message: AlertMessage, to target: AlertPolicy.Target, policy: AlertPolicy) async throws {
        switch target.channel {
        case .email:
            guard let smtp = policy.smtp else { throw Failure(description: "no mail server (alerts.smtp)") }
            let password = smtp.passwordEnvironment.flatMap(environment)
            let mail = Self.mail(message, from: smtp.from, to: target.address)
            // libcurl blocks for up to 40 s: on a thread of its own, not one of the few that run Swift tasks.
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                Thread.detachNewThread {
                    continuation.resume(
                        with: Result {
                            try Self.sendMail(
                                mail, url: smtp.url, from: smtp.from, to: target.address, user: smtp.user,
                                password: password)
                        })
                }
            }
        case .webhook:
            guard let name = policy.webhookSecretEnvironment, let key = environment(name), !key.isEmpty else {
                throw Failure(
                    description: "the webhook signing key is not set (\(policy.webhookSecretEnvironment ?? "?"))")
            }
            guard let url = URL(string: target.address) else {
                throw Failure(description: "not a URL: \(target.address)")
            }
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            let body = try encoder.encode(message)
            let timestamp = String(Int(Date().timeIntervalSince1970))
            let transport = HTTPClientTransport(base: url, timeout: 15)
            defer { Task { await transport.shutdown() } }
            let reply = try await transport.send(
                method: "POST", path: "", query: nil,
                headers: [
                    "X-Takt-Signature": "t=\(timestamp),sha256=\(Self.signature(body, timestamp: timestamp, key: key))",
                    "X-Takt-Delivery": message.delivery, "User-Agent": "takt-alerts",
                ], body: body)
            guard (200..<300).contains(reply.status) else {
                throw Failure(description: "the webhook answered HTTP \(reply.status)")
            }
        }
    }

    /// HMAC-SHA256 of `timestamp.body` under `key`, in hex: what a receiver recomputes to trust the alert.
    public static func signature(_ body: Data, timestamp: String, key: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data((timestamp + ".").utf8) + body, using: SymmetricKey(data: Data(key.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The message as RFC 5322 text: the subject encoded (RFC 2047) so any language is safe in a header, a
    /// Message-ID from the delivery id so a repeat is recognised.
    static func mail(_ message: AlertMessage, from: String, to: String) -> Data {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let subject = "=?UTF-8?B?\(Data(message.subject.utf8).base64EncodedString())?="
        let host = from.split(separator: "@").last.map(String.init) ?? "takt"
        let text = message.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
            of: "\n", with: "\r\n"
        )
        // A line of a single dot ends the message in SMTP; double it (RFC 5321 4.5.2).
        .components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
        let mail = [
            "From: Takt <\(from)>", "To: <\(to)>", "Subject: \(subject)", "Date: \(formatter.string(from: Date()))",
            "Message-ID: <takt-alert-\(message.delivery)@\(host)>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "", text, "",
        ].joined(separator: "\r\n")
        return Data(mail.utf8)
    }

    /// libcurl's global set-up, once per process before any handle (it is not safe to race).
    static let curlReady: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// One message through libcurl's SMTP: blocking, so it runs on a thread of its own.
    static func sendMail(_ mail: Data, url: String, from: String, to: String, user: String?, password: String?) throws {
        guard curlReady, let curl = curl_easy_init() else { throw Failure(description: "libcurl could not start") }
        defer { curl_easy_cleanup(curl) }
        let payload = MailPayload(mail)
        let context = Unmanaged.passRetained(payload)
        defer { context.release() }
        let recipients: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "<\(to)>")
        defer { curl_slist_free_all(recipients) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
            takt_curl_set_string(curl, CURLOPT_URL, url)
            takt_curl_set_string(curl, CURLOPT_MAIL_FROM, "<\(from)>")
            takt_curl_set_pointer(curl, CURLOPT_MAIL_RCPT, UnsafeMutableRawPointer(recipients))
            takt_curl_set_long(curl, CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
            takt_curl_set_long(curl, CURLOPT_UPLOAD, 1)
            takt_curl_set_long(curl, CURLOPT_TIMEOUT, 30)
            takt_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT, 10)
            takt_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
            takt_curl_set_pointer(curl, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(buffer.baseAddress))
            if let user { takt_curl_set_string(curl, CURLOPT_USERNAME, user) }
            if let password { takt_curl_set_string(curl, CURLOPT_PASSWORD, password) }
            takt_curl_set_pointer(curl, CURLOPT_READDATA, context.toOpaque())
            takt_curl_set_read_function(curl) { buffer, size, count, context in
                guard let buffer, let context else { return 0 }
                let payload = Unmanaged<MailPayload>.fromOpaque(context).takeUnretainedValue()
                return payload.read(into: buffer, capacity: size * count)
            }
            return curl_easy_perform(curl)
        }
        guard code == CURLE_OK else {
            let detail = String(
                decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw Failure(
                description: "SMTP \(url): " + (detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail))
        }
    }
}

/// The message libcurl reads as it uploads, chunk by chunk.
private final class MailPayload: @unchecked Sendable {
    let bytes: [UInt8]
    var offset = 0

    init(_ data: Data) { bytes = [UInt8](data) }

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
