// Package connector holds what rules of several areas need to know about
// connector code: the kind and Publish records, OAuth handlers, names that
// look like credentials, and how to name a new member. A helper used by one
// area stays in that area's package; the framework (package analysis) has
// what every rule needs, such as reporting and building edits.
package connector
