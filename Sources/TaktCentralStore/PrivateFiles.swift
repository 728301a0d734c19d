import Foundation
import TaktStore

/// Central's data is private: password hashes, session hashes and every site's records. Its folder is created
/// 0700 and its database 0600 before SQLite opens it (SQLite gives the `-wal` and `-shm` files the database's
/// mode), whatever the process's umask.
enum PrivateFiles {
    static func prepare(databaseAt path: String) throws {
        let manager = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !manager.fileExists(atPath: folder) {
            try manager.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw StoreError.cannotOpen(path: path, reason: "cannot create the database file")
            }
        }
        for file in [path, path + "-wal", path + "-shm"] where manager.fileExists(atPath: file) {
            try? manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }
}
