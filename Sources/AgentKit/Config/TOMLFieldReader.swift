import TOMLKit

/// One thing wrong with a configuration file, located by its key path.
public struct ConfigProblem: Equatable, Sendable, CustomStringConvertible {
    public var keyPath: String
    public var message: String
    /// Line and column, where the TOML parser gives them (syntax errors).
    public var line: Int?
    public var column: Int?

    public var description: String {
        if let line, let column { return "line \(line), column \(column): \(message)" }
        return "\(keyPath): \(message)"
    }
}

/// Collects problems while a configuration is read, so that one run reports all of them.
final class ProblemList {
    private(set) var problems: [ConfigProblem] = []
    func add(_ keyPath: String, _ message: String) {
        problems.append(ConfigProblem(keyPath: keyPath, message: message))
    }
}

/// Reads typed fields out of one TOML table, remembering which keys were used, so that
/// whatever is left over is reported as an unknown key (a typo must not be silently ignored).
final class TOMLFieldReader {
    let table: TOMLTable
    let path: String
    let problems: ProblemList
    private var used: Set<String> = []

    init(_ table: TOMLTable, path: String, problems: ProblemList) {
        self.table = table
        self.path = path
        self.problems = problems
    }

    private func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func value(_ key: String, required: Bool) -> TOMLValueConvertible? {
        used.insert(key)
        guard let value = table[key] else {
            if required { problems.add(keyPath(key), "missing (required)") }
            return nil
        }
        return value
    }

    private func wrongType(_ key: String, expected: String, got: TOMLValueConvertible) {
        problems.add(keyPath(key), "expected \(expected), found \(got.type)")
    }

    func string(_ key: String, required: Bool = false, oneOf allowed: [String]? = nil) -> String? {
        guard let raw = value(key, required: required) else { return nil }
        guard let string = raw.string else { wrongType(key, expected: "a string", got: raw); return nil }
        if let allowed, !allowed.contains(string) {
            problems.add(keyPath(key), "\"\(string)\" is not one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))")
            return nil
        }
        return string
    }

    /// A number; TOML integers are accepted where a real is expected (`diameter_mm = 2`).
    func double(_ key: String, required: Bool = false, range: ClosedRange<Double>? = nil, unit: String = "") -> Double? {
        guard let raw = value(key, required: required) else { return nil }
        let number: Double
        if let d = raw.double { number = d } else if let i = raw.int { number = Double(i) } else {
            wrongType(key, expected: "a number", got: raw); return nil
        }
        if let range, !range.contains(number) {
            problems.add(keyPath(key), "\(number)\(unit) is out of range \(range.lowerBound)…\(range.upperBound)\(unit)")
            return nil
        }
        return number
    }

    func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let raw = value(key, required: required) else { return nil }
        guard let number = raw.int else { wrongType(key, expected: "an integer", got: raw); return nil }
        if let range, !range.contains(number) {
            problems.add(keyPath(key), "\(number) is out of range \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return number
    }

    func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let raw = value(key, required: required) else { return nil }
        guard let flag = raw.bool else { wrongType(key, expected: "true or false", got: raw); return nil }
        return flag
    }

    func table(_ key: String, required: Bool = false) -> TOMLFieldReader? {
        guard let raw = value(key, required: required) else { return nil }
        guard let sub = raw.table else { wrongType(key, expected: "a table", got: raw); return nil }
        return TOMLFieldReader(sub, path: keyPath(key), problems: problems)
    }

    func arrayOfTables(_ key: String) -> [TOMLFieldReader] {
        guard let raw = value(key, required: false) else { return [] }
        guard let array = raw.array else { wrongType(key, expected: "an array of tables", got: raw); return [] }
        var readers: [TOMLFieldReader] = []
        for (index, element) in array.enumerated() {
            guard let sub = element.table else {
                problems.add("\(keyPath(key))[\(index)]", "expected a table, found \(element.type)")
                continue
            }
            readers.append(TOMLFieldReader(sub, path: "\(keyPath(key))[\(index)]", problems: problems))
        }
        return readers
    }

    /// Reports every key of this table that no reader asked for.
    func rejectUnknownKeys() {
        for key in table.keys.sorted() where !used.contains(key) {
            problems.add(keyPath(key), "unknown key")
        }
    }
}
