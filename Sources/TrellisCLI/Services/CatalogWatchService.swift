import ServiceLifecycle
import TrellisCatalog
import TrellisWatcher

/// Feeds the DAGs directory's inotify events into the catalog until graceful shutdown, when
/// the watcher is stopped (which ends its event stream).
struct CatalogWatchService: Service {
    let watcher: DirectoryWatcher
    let catalog: FileDAGCatalog

    func run() async throws {
        let events = watcher.events()
        let watcher = watcher
        let catalog = catalog
        await withGracefulShutdownHandler {
            for await event in events {
                switch event {
                case .changed(let name): catalog.handleChanged(name: name)
                case .removed(let name): catalog.handleRemoved(name: name)
                case .overflow, .rescan: catalog.handleRescan()
                }
            }
        } onGracefulShutdown: {
            watcher.stop()
        }
    }
}
