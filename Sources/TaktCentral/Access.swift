import TaktCentralStore
import TaktStore

/// Who may see and change what: an administrator everything; a regional manager the sites of their regions
/// (and publishes configuration for them); a site manager their sites; a viewer reads their regions (all when
/// none are named).
public struct Access: Sendable {
    public let user: CentralStore.User
    public let configuration: CentralConfiguration

    public init(user: CentralStore.User, configuration: CentralConfiguration) {
        self.user = user
        self.configuration = configuration
    }

    public func canSee(site: String) -> Bool {
        guard let region = configuration.sites.first(where: { $0.site.id == site })?.region.id else { return false }
        switch user.role {
        case "administrator": return true
        case "regional_manager": return user.scope.contains(region)
        case "site_manager": return user.scope.contains(site)
        case "viewer": return user.scope.isEmpty || user.scope.contains(region)
        default: return false
        }
    }

    public func canPublish(site: String) -> Bool {
        switch user.role {
        case "administrator": return canSee(site: site)
        case "regional_manager": return canSee(site: site)
        default: return false
        }
    }

    /// The regions with at least one visible site, each with its visible sites.
    public var regions: [(region: CentralConfiguration.Region, sites: [CentralConfiguration.SiteEntry])] {
        configuration.regions.compactMap { region in
            let visible = region.sites.filter { canSee(site: $0.id) }
            return visible.isEmpty ? nil : (region, visible)
        }
    }
}
