// AgentKit
