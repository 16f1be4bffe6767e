import Foundation

/// A simulated set of GPIO lines for tests: named lines on named chips; inputs the test
/// drives (`drive`), producing timestamped edges for lines requested with `.bothEdges`;
/// outputs whose history the test can inspect.
public final class SimulatedGPIO: GPIOLines, @unchecked Sendable {
    final class LineState {
        let chip: String
        let offset: UInt32
        let name: String?
        var value = false
        var requestedBy: String?
        var mode: GPIOLineMode = .input
        var events: [GPIOEdgeEvent] = []
        var outputHistory: [Bool] = []
        init(chip: String, offset: UInt32, name: String?) {
            self.chip = chip
            self.offset = offset
            self.name = name
        }
    }

    private let condition = NSCondition()  // protects `lines` and the states in it
    private var lines: [LineState] = []
    private let nanoseconds: @Sendable () -> UInt64

    /// - Parameter nanoseconds: timestamp source for edges (default CLOCK_MONOTONIC, as the kernel).
    public init(nanoseconds: (@Sendable () -> UInt64)? = nil) {
        self.nanoseconds = nanoseconds ?? { UInt64(clockSeconds(CLOCK_MONOTONIC) * 1e9) }
    }

    /// Adds a line (like gpio-sim's configfs `lineN/name`).
    public func addLine(chip: String = "gpiochip0", offset: UInt32, name: String? = nil, initialValue: Bool = false) {
        condition.lock(); defer { condition.unlock() }
        let l = LineState(chip: chip, offset: offset, name: name)
        l.value = initialValue
        lines.append(l)
    }

    private func find(_ spec: GPIOLineSpec) -> LineState? {
        switch spec {
        case let .offset(chip, offset):
            return lines.first { ($0.chip == chip || "/dev/" + $0.chip == chip) && $0.offset == offset }
        case let .name(name):
            return lines.first { $0.name == name }
        }
    }

    public func request(_ spec: GPIOLineSpec, mode: GPIOLineMode, consumer: String = "cellpress") throws -> any GPIOLine {
        condition.lock(); defer { condition.unlock() }
        guard let state = find(spec) else {
            throw GPIOError(kind: .notFound, errno: ENOENT, line: spec.description, operation: "request")
        }
        guard state.requestedBy == nil else {
            throw GPIOError(kind: .busy, errno: EBUSY, line: spec.description, operation: "request (held by \(state.requestedBy!))")
        }
        state.requestedBy = consumer
        state.mode = mode
        state.events.removeAll()
        if case let .output(v) = mode {
            state.value = v
            state.outputHistory = [v]
        }
        return SimulatedGPIOLine(owner: self, state: state, spec: spec, mode: mode)
    }

    /// Drives an input line as the outside world would (gpio-sim's `pull`); an edge is queued
    /// with a timestamp when the value changes and the line was requested for events.
    public func drive(_ spec: GPIOLineSpec, to value: Bool) {
        condition.lock(); defer { condition.unlock() }
        guard let state = find(spec), state.value != value else { return }
        state.value = value
        if state.requestedBy != nil && state.mode == .bothEdges {
            state.events.append(GPIOEdgeEvent(edge: value ? .rising : .falling, timestampNanoseconds: nanoseconds()))
            condition.broadcast()
        }
    }

    /// The level of a line now (what gpio-sim's `value` attribute shows).
    public func level(_ spec: GPIOLineSpec) -> Bool? {
        condition.lock(); defer { condition.unlock() }
        return find(spec)?.value
    }

    /// Every value an output line was set to since it was requested (first: the initial value).
    public func outputHistory(_ spec: GPIOLineSpec) -> [Bool] {
        condition.lock(); defer { condition.unlock() }
        return find(spec)?.outputHistory ?? []
    }

    // Called by lines.
    func get(_ s: LineState) -> Bool { condition.lock(); defer { condition.unlock() }; return s.value }
    func set(_ s: LineState, _ v: Bool) { condition.lock(); defer { condition.unlock() }; s.value = v; s.outputHistory.append(v) }
    func release(_ s: LineState) { condition.lock(); defer { condition.unlock() }; s.requestedBy = nil; s.events.removeAll() }
    func waitEvent(_ s: LineState, timeoutSeconds: Double?) -> GPIOEdgeEvent? {
        condition.lock(); defer { condition.unlock() }
        let deadline = timeoutSeconds.map { Date(timeIntervalSinceNow: $0) } ?? .distantFuture
        while s.events.isEmpty {
            if !condition.wait(until: deadline) { break }
        }
        return s.events.isEmpty ? nil : s.events.removeFirst()
    }
}

final class SimulatedGPIOLine: GPIOLine, @unchecked Sendable {
    let spec: GPIOLineSpec
    private let owner: SimulatedGPIO
    private let state: SimulatedGPIO.LineState  // all access goes through owner's lock
    private let mode: GPIOLineMode
    private let released = Locked(false)

    init(owner: SimulatedGPIO, state: SimulatedGPIO.LineState, spec: GPIOLineSpec, mode: GPIOLineMode) {
        self.owner = owner
        self.state = state
        self.spec = spec
        self.mode = mode
    }

    deinit { release() }

    private func checkLive(_ op: String) throws {
        if released.current { throw GPIOError(kind: .io, errno: EBADF, line: spec.description, operation: op + " (released)") }
    }

    func value() throws -> Bool {
        try checkLive("get value")
        return owner.get(state)
    }

    func setValue(_ value: Bool) throws {
        try checkLive("set value")
        guard case .output = mode else {
            throw GPIOError(kind: .wrongMode, errno: EPERM, line: spec.description, operation: "set value on an input")
        }
        owner.set(state, value)
    }

    func waitForEdge(timeoutSeconds: Double?) throws -> GPIOEdgeEvent? {
        try checkLive("wait for edge")
        guard mode == .bothEdges else {
            throw GPIOError(kind: .wrongMode, errno: EPERM, line: spec.description, operation: "wait for edge (not requested for events)")
        }
        return owner.waitEvent(state, timeoutSeconds: timeoutSeconds)
    }

    func release() {
        let was = released.withLock { r -> Bool in defer { r = true }; return r }
        if !was { owner.release(state) }
    }
}
