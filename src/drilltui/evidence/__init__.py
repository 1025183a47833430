"""Evidence for outsiders: signed attestations of a drill's log, evidence bundles and redaction."""
