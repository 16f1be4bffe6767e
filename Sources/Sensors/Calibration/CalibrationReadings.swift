/// Averages raw counts over `reads` readings of a sensor: the measurement behind a tare or a
/// calibration point (the CLI's `calibrate` reads one per known load).
/// Throws the first sensor error; a calibration point must not silently skip readings.
/// `reads` below 1 is treated as 1.
public func averageRawCounts(of sensor: any ForceSensor, reads: Int = 32) throws -> Double {
    let n = max(1, reads)
    var sum = 0.0
    for _ in 0..<n { sum += Double(try sensor.read().rawCounts) }
    return sum / Double(n)
}
