import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An HTTP exchange with central, small enough that tests can swap in their own.
public protocol SyncTransport: Sendable {
    /// Sends a request and returns the status, the headers (lowercased names) and the body; throws
    /// `SyncError.transport` when no answer came.
    func send(method: String, path: String, query: String?, headers: [String: String], body: Data)
        async throws(SyncError)
        -> (status: Int, headers: [String: String], body: Data)
}

/// The transport over Foundation's URLSession (on Linux: the system libcurl).
public struct URLSessionTransport: SyncTransport {
    public let base: URL
    let session: URLSession

    public init(base: URL, timeout: TimeInterval = 30) {
        self.base = base
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        self.session = URLSession(configuration: configuration)
    }

    public func send(method: String, path: String, query: String?, headers: [String: String], body: Data)
        async throws(SyncError)
        -> (status: Int, headers: [String: String], body: Data)
    {
        var components = URLComponents(url: base, resolvingAgainstBaseURL: false)!
        components.path = (components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path) + path
        components.percentEncodedQuery = query
        guard let url = components.url else { throw .transport("bad URL \(base)\(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if method != "GET" {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw SyncError.transport("not an HTTP response") }
            var fields: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
            }
            return (http.statusCode, fields, data)
        } catch let error as SyncError {
            throw error
        } catch {
            throw .transport((error as NSError).localizedDescription)
        }
    }
}
