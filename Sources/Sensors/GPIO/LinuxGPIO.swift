import CGPIOD
import Foundation

/// GPIO lines on Linux through libgpiod v1.6 (the CGPIOD shim).
public struct LinuxGPIO: GPIOLines {
    public init() {}

    public func request(_ spec: GPIOLineSpec, mode: GPIOLineMode, consumer: String = "cellpress") throws -> any GPIOLine {
        var err: Int32 = 0
        let (cMode, initial): (Int32, Int32)
        switch mode {
        case .input: (cMode, initial) = (Int32(CGPIOD_MODE_INPUT), 0)
        case let .output(v): (cMode, initial) = (Int32(CGPIOD_MODE_OUTPUT), v ? 1 : 0)
        case .bothEdges: (cMode, initial) = (Int32(CGPIOD_MODE_BOTH_EDGES), 0)
        }
        let handle: OpaquePointer?
        switch spec {
        case let .offset(chip, offset):
            handle = cgpiod_request_by_offset(chip, offset, cMode, initial, consumer, &err)
        case let .name(name):
            handle = cgpiod_request_by_name(name, cMode, initial, consumer, &err)
        }
        guard let handle else { throw GPIOError(errno: err, line: spec.description, operation: "request") }
        return LinuxGPIOLine(handle: handle, spec: spec, mode: mode)
    }
}

final class LinuxGPIOLine: GPIOLine, @unchecked Sendable {
    let spec: GPIOLineSpec
    let mode: GPIOLineMode
    private let lock = NSLock()
    private var handle: OpaquePointer?  // protected by lock

    init(handle: OpaquePointer, spec: GPIOLineSpec, mode: GPIOLineMode) {
        self.handle = handle
        self.spec = spec
        self.mode = mode
    }

    deinit { release() }

    private func withHandle<T>(_ operation: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        guard let handle else { throw GPIOError(kind: .io, errno: EBADF, line: spec.description, operation: operation + " (released)") }
        return try body(handle)
    }

    func value() throws -> Bool {
        try withHandle("get value") { h in
            let v = cgpiod_get_value(h)
            if v < 0 { throw GPIOError(errno: -v, line: spec.description, operation: "get value") }
            return v == 1
        }
    }

    func setValue(_ value: Bool) throws {
        guard case .output = mode else {
            throw GPIOError(kind: .wrongMode, errno: EPERM, line: spec.description, operation: "set value on an input")
        }
        try withHandle("set value") { h in
            let r = cgpiod_set_value(h, value ? 1 : 0)
            if r < 0 { throw GPIOError(errno: -r, line: spec.description, operation: "set value") }
        }
    }

    func waitForEdge(timeoutSeconds: Double?) throws -> GPIOEdgeEvent? {
        guard mode == .bothEdges else {
            throw GPIOError(kind: .wrongMode, errno: EPERM, line: spec.description, operation: "wait for edge (not requested for events)")
        }
        // Wait in slices of at most 100 ms, taking the lock only per slice, so `release()` from
        // another thread is never blocked for long and a released line ends the wait.
        let deadline = timeoutSeconds.map { clockSeconds(CLOCK_MONOTONIC) + max(0, $0) }
        while true {
            let remaining = deadline.map { $0 - clockSeconds(CLOCK_MONOTONIC) } ?? 0.1
            let slice = min(max(remaining, 0), 0.1)
            let event: GPIOEdgeEvent? = try withHandle("wait for edge") { h in
                var edge: Int32 = 0
                var sec: Int64 = 0, nsec: Int64 = 0
                let r = cgpiod_wait_event(h, Int64(slice * 1e9), &edge, &sec, &nsec)
                if r < 0 { throw GPIOError(errno: -r, line: spec.description, operation: "wait for edge") }
                if r == 0 { return nil }
                return GPIOEdgeEvent(edge: edge == Int32(CGPIOD_EDGE_RISING) ? .rising : .falling,
                                     timestampNanoseconds: UInt64(sec) * 1_000_000_000 + UInt64(nsec))
            }
            if let event { return event }
            if let deadline, clockSeconds(CLOCK_MONOTONIC) >= deadline { return nil }
        }
    }

    func release() {
        lock.lock(); defer { lock.unlock() }
        if let handle { cgpiod_release(handle) }
        handle = nil
    }
}
