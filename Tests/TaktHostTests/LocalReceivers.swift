import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A local SMTP sink: answers a client as a mail server would and keeps each message it receives. Enough of
/// RFC 5321 for libcurl: greeting, EHLO, MAIL, RCPT, DATA (to the line with a single dot), RSET, QUIT.
final class SMTPSink: @unchecked Sendable {
    struct Message: Sendable {
        var from: String
        var to: [String]
        var data: String
    }

    private let messages = NIOLockedValueBox<[Message]>([])
    private var channel: (any Channel)?
    /// Refuse every message with 554 (to test retries).
    let refusing = NIOLockedValueBox(false)
    var port: Int { channel?.localAddress?.port ?? 0 }
    var received: [Message] { messages.withLockedValue { $0 } }

    func start() async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(LineDecoder()), Session(sink: self))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async { try? await channel?.close() }

    private struct LineDecoder: ByteToMessageDecoder {
        typealias InboundOut = String
        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            let view = buffer.readableBytesView
            guard let end = view.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
            let length = end - view.startIndex + 1
            let line = buffer.readString(length: length)!
            context.fireChannelRead(wrapInboundOut(String(line.dropLast())))
            return .continue
        }
    }

    private final class Session: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = String
        typealias OutboundOut = ByteBuffer
        let sink: SMTPSink
        var from = ""
        var to: [String] = []
        var data: [String]?

        init(sink: SMTPSink) { self.sink = sink }

        func channelActive(context: ChannelHandlerContext) { reply(context, "220 sink ESMTP") }

        func channelRead(context: ChannelHandlerContext, data wrapped: NIOAny) {
            let line = unwrapInboundIn(wrapped)
            if var lines = data {
                if line == "." {
                    data = nil
                    if sink.refusing.withLockedValue({ $0 }) { return reply(context, "554 refused for the test") }
                    let message = Message(from: from, to: to, data: lines.joined(separator: "\n"))
                    sink.messages.withLockedValue { $0.append(message) }
                    return reply(context, "250 queued")
                }
                lines.append(line.hasPrefix("..") ? String(line.dropFirst()) : line)
                data = lines
                return
            }
            let verb = line.prefix(4).uppercased()
            switch verb {
            case "EHLO", "HELO": reply(context, "250-sink\r\n250 8BITMIME")
            case "MAIL":
                from = line
                to = []
                reply(context, "250 OK")
            case "RCPT":
                to.append(line)
                reply(context, "250 OK")
            case "DATA":
                data = []
                reply(context, "354 go ahead")
            case "QUIT":
                reply(context, "221 bye")
                context.close(promise: nil)
            default: reply(context, "250 OK")
            }
        }

        func reply(_ context: ChannelHandlerContext, _ text: String) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
        }
    }
}

/// A local webhook receiver: keeps each request's headers and body, answers `status`.
final class WebhookReceiver: @unchecked Sendable {
    struct Request: Sendable {
        var headers: [String: String]
        var body: Data
    }

    private let requests = NIOLockedValueBox<[Request]>([])
    let status = NIOLockedValueBox(HTTPResponseStatus.ok)
    private var channel: (any Channel)?
    var port: Int { channel?.localAddress?.port ?? 0 }
    var received: [Request] { requests.withLockedValue { $0 } }

    func start() async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(receiver: self))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func stop() async { try? await channel?.close() }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let receiver: WebhookReceiver
        var headers: [String: String] = [:]
        var body = Data()

        init(receiver: WebhookReceiver) { self.receiver = receiver }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                headers = Dictionary(head.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
                body = Data()
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                let status = receiver.status.withLockedValue { $0 }
                if status == .ok {
                    let request = Request(headers: headers, body: body)
                    receiver.requests.withLockedValue { $0.append(request) }
                }
                var responseHeaders = HTTPHeaders()
                responseHeaders.add(name: "Content-Length", value: "0")
                context.write(
                    wrapOutboundOut(.head(.init(version: .http1_1, status: status, headers: responseHeaders))),
                    promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
