// Sensors — the agent's eyes: I2C force/pressure sensors and GPIO, Linux and simulated.
//
// Layers (each file has one job):
//   I2C/        I2CBus protocol, typed I2CError, LinuxI2CBus (i2c-dev + libi2c via CI2C)
//   GPIO/       GPIOLines protocol, LinuxGPIO (libgpiod 1.6 via CGPIOD), SimulatedGPIO
//   Drivers/    one file per chip: datasheet header, register constants, probe(), raw reads,
//               pure conversions (NAU7802, ADS1115, Honeywell FMA, TE FX29)
//   Simulated/  SimulatedI2CBus (trace, fault injection) and datasheet-true simulated parts
//   Calibration/ counts → N (tare, two-point, least squares) → MPa over the cell's area
//   Sampling/   Sampler (paced, averaged, faults → gaps/alarms), VirtualClock, benchmark
//   Scan.swift, SensorFactory.swift: what the CLI calls (`sensor scan`, `sensor read`).
//
// Drivers use SMBus transfers wherever the part allows (byte/word/I2C-block data), so they
// run on SMBus-only adapters such as i2c-stub; the FMA and FX29 need plain I2C reads.
