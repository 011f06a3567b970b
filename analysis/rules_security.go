package analysis

// securityRules are the rules about credentials, user input, tracing and
// evaluated code.
var securityRules = []*Analyzer{}
