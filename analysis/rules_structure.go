package analysis

// structureRules are the rules about the connector's shape: section
// document, version, kinds, data-source functions, records.
var structureRules = []*Analyzer{PQC002}
