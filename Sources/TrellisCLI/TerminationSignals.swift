import Dispatch
import Foundation

/// SIGTERM and SIGINT for commands without the API's service group (`trellis scheduler`).
enum TerminationSignals {
    /// Returns when the process gets SIGTERM or SIGINT, or when the task is cancelled.
    static func wait() async {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let sources = [SIGTERM, SIGINT].map { signalNumber -> DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler(handler: { @Sendable in continuation.yield(signalNumber) })
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        await withTaskCancellationHandler {
            for await _ in stream { return }
        } onCancel: {
            continuation.finish()
        }
    }
}
