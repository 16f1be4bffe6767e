// Follows one run of a script written by `MethodScriptGenerator`: turns its packets into
// samples and surfaces the first instrument error or undecodable line, so the caller can
// switch the cell off and mark the run aborted. Pure: the transport feeds it bytes.

/// One measurement of a generated script (packet layout: time, step, potential[, current]).
public struct MethodScriptSample: Sendable, Equatable {
    /// Seconds since the script's `timer_start`.
    public var timeSeconds: Double
    /// 1-based step number within the protocol (from the `ja` variable), nil if absent.
    public var stepNumber: Int?
    /// WE potential (the cell voltage of a 2-electrode cell); NaN if the instrument sent nan.
    public var potentialVolts: Double
    /// Measured current; nil during rests (open circuit, no current in the packet).
    public var currentAmps: Double?
    /// Union of the status flags of the packet's values (overload etc.).
    public var status: MethodScriptStatus

    public init(timeSeconds: Double, stepNumber: Int?, potentialVolts: Double,
                currentAmps: Double?, status: MethodScriptStatus) {
        self.timeSeconds = timeSeconds
        self.stepNumber = stepNumber
        self.potentialVolts = potentialVolts
        self.currentAmps = currentAmps
        self.status = status
    }

    /// The sample in a packet, nil if it lacks time (`eb`) or potential (`ab`).
    public init?(packet: MethodScriptPacket) {
        guard let t = packet.first(.time), let e = packet.first(.workingElectrodePotential) else { return nil }
        timeSeconds = t
        potentialVolts = e
        currentAmps = packet.first(.workingElectrodeCurrent)
        stepNumber = packet.first(.miscGeneric1).flatMap { $0.isFinite && abs($0) < 1e9 ? Int($0) : nil }
        status = packet.values.reduce(into: MethodScriptStatus()) { $0.formUnion($1.status ?? []) }
    }
}

/// Why a run cannot be trusted any more.
public enum MethodScriptRunError: Error, Sendable, Equatable {
    /// The instrument reported `!XXXX`.
    case instrument(MethodScriptInstrumentError)
    /// A line could not be decoded.
    case malformed(MethodScriptDecodeError)
    /// A packet lacked the time or potential the generated script always sends.
    case unexpectedPacket(MethodScriptPosition)
    /// Output arrived after the script had finished.
    case outputAfterFinish(MethodScriptPosition?)
}

/// What one `feed` produced.
public struct MethodScriptRunUpdate: Sendable, Equatable {
    public var samples: [MethodScriptSample] = []
    /// Text lines from `send_string`.
    public var texts: [String] = []
    /// Errors seen in this chunk, in order (samples before and after them are kept).
    public var errors: [MethodScriptRunError] = []
}

/// Tracks a run from the `e` echo to the terminating blank line.
public struct MethodScriptRun: Sendable {
    private var decoder = MethodScriptPacketDecoder()
    /// The instrument echoed `e` and is executing.
    public private(set) var isAccepted = false
    /// The blank line that ends the script's output was received.
    public private(set) var isFinished = false
    /// Samples decoded so far.
    public private(set) var sampleCount = 0
    /// The first error seen, if any.
    public private(set) var firstError: MethodScriptRunError?

    public init() {}

    public mutating func feed<S: Sequence>(_ bytes: S) -> MethodScriptRunUpdate where S.Element == UInt8 {
        var update = MethodScriptRunUpdate()
        for event in decoder.feed(bytes) {
            var error: MethodScriptRunError?
            if isFinished {
                if case .packet(_, let pos) = event { error = .outputAfterFinish(pos) }
                else if case .instrumentError(let e) = event { error = .instrument(e) }
                else if event != .scriptFinished { error = .outputAfterFinish(nil) }
            } else {
                switch event {
                case .scriptAccepted: isAccepted = true
                case .packet(let p, let pos):
                    if let s = MethodScriptSample(packet: p) {
                        update.samples.append(s)
                        sampleCount += 1
                    } else {
                        error = .unexpectedPacket(pos)
                    }
                case .text(let t): update.texts.append(t)
                case .instrumentError(let e): error = .instrument(e)
                case .malformed(let e): error = .malformed(e)
                case .scriptFinished: isFinished = isAccepted  // a blank line before `e` is noise
                case .loopBegan, .loopEnded, .abortAcknowledged: break
                }
            }
            if let error {
                update.errors.append(error)
                if firstError == nil { firstError = error }
            }
        }
        return update
    }
}
