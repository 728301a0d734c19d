import Hummingbird
import NIOCore

/// The request context of central's and the site app's routes: Hummingbird's core context plus the peer's
/// address, which login throttling and request logs need.
public struct WebContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address as text ("unknown" when the channel has none).
    public var peer: String { remoteAddress?.ipAddress ?? "unknown" }
}
