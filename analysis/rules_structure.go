package analysis

// structureRules are the rules about the connector's shape: section
// document, version, kinds, data-source functions, records.
var structureRules = []*Analyzer{PQC002, PQC001, PQC003, PQC004, PQC005, PQC006, PQC007, PQC008, PQC009, PQC010, PQC011, PQC012, PQC050, PQC052, PQC053, PQC054, PQC058, PQC066, PQC067}
