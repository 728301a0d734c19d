import CZlib
import Foundation

/// A gzip file written through the system's zlib, a chunk at a time (`gunzip`, `zcat` and every log tool read it).
/// The file is written beside its final name and renamed into place by `finish`, after `fsync`: a file with the
/// final name is always whole.
public final class GzipFile {
    public let path: String
    let temporary: String
    let handle: FileHandle
    var stream = z_stream()
    var finished = false

    public init(path: String) throws {
        self.path = path
        temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary]) }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        // 15 window bits + 16: a gzip header and trailer rather than a bare zlib stream.
        let status = deflateInit2_(
            &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipError(message: "zlib would not start (status \(status))") }
    }

    deinit {
        if !finished {
            deflateEnd(&stream)
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }

    public func write(_ data: Data) throws { try deflate(data, flush: Z_NO_FLUSH) }

    /// Ends the stream, syncs the file to disk and gives it its name.
    public func finish() throws {
        try deflate(Data(), flush: Z_FINISH)
        deflateEnd(&stream)
        finished = true
        try handle.synchronize()
        try handle.close()
        if FileManager.default.fileExists(atPath: path) { throw GzipError(message: "\(path) exists; not replaced") }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    func deflate(_ data: Data, flush: Int32) throws {
        var input = [UInt8](data)
        var output = [UInt8](repeating: 0, count: 64 * 1024)
        try input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            repeat {
                let status = output.withUnsafeMutableBufferPointer { outputBuffer -> Int32 in
                    stream.next_out = outputBuffer.baseAddress
                    stream.avail_out = UInt32(outputBuffer.count)
                    return CZlib.deflate(&stream, flush)
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw GzipError(message: "zlib failed while compressing (status \(status))")
                }
                let produced = output.count - Int(stream.avail_out)
                if produced > 0 { try handle.write(contentsOf: output[0..<produced]) }
                if flush == Z_FINISH && status == Z_STREAM_END { break }
            } while stream.avail_out == 0 || (flush == Z_FINISH)
        }
    }
}

public struct GzipError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
