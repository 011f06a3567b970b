package analysis

// projectRules are the rules about project files, resources, icons,
// navigation tables and the remaining SDK conventions.
var projectRules = []*Analyzer{}
