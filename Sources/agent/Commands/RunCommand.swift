import AgentKit
import ArgumentParser
import Foundation
import Logging
import Store

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent daemon from a configuration file (sampling, GPIO, protocols, logging).",
        discussion: """
            Sampling and GPIO monitoring start at once. Protocols (current through the cell)
            start only with --start: after a crash or power cut the agent comes back logging,
            with the output off, until an operator starts the protocol again. --resume says
            what a restart would do, without doing it.
            """)

    @Option(help: "Configuration file.") var config: String = "/etc/cellpress/cellpress.toml"
    @Flag(help: "Start each rig's protocol now.") var start = false
    @Flag(help: "Say what a restart would do (interrupted runs, protocols) and exit.") var resume = false

    func run() async throws {
        let loaded = try reportingFailures { try AgentConfig.load(path: config) }
        if resume {
            try reportingFailures { print(try ResumePlan.text(config: loaded)) }
            return
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let agent = try reportingFailures { try buildAgent(config: loaded, startProtocols: start) }
        let status = await agent.run()
        if status != 0 { throw ExitCode(status) }
    }
}
