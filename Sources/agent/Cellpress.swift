import ArgumentParser

/// The `cellpress` command: a thin shell over AgentKit, one file per subcommand.
@main
struct Cellpress: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cellpress",
        abstract: "Run a solid-state battery cell under stack pressure, and analyse it.",
        discussion: """
            cellpress samples the cell's force sensor (I2C), drives galvanostatic cycling
            through a potentiostat or source-measure unit, logs everything into SQLite, and
            segments the cell's tomography scans to correlate contact and stack thickness
            with pressure. `cellpress demo` runs the whole experiment on simulated parts.
            """,
        subcommands: [
            DemoCommand.self, RunCommand.self, StatusCommand.self, EventsCommand.self, AlarmsCommand.self,
            WatchCommand.self, ExportCommand.self, BackupCommand.self,
            TorqueCommand.self, AssembleCommand.self, SensorCommand.self, GPIOCommand.self, CalibrateCommand.self,
            EmulateCommand.self, MethodScriptCommand.self, ImportCommand.self,
            AnalyzeCommand.self, SynthCommand.self, CorrelateCommand.self, ReportCommand.self,
            ConfigCommand.self, WriteLoadCommand.self, InterphaseCommand.self,
        ]
    )
}
