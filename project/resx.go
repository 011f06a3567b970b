package project

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Span is a range of bytes [Start, End) in a file.
type Span struct {
	Start, End int
}

// ResourceSpan locates one string of resources.resx, so that diagnostics
// can point into the resx file.
type ResourceSpan struct {
	Data  Span // the whole <data> element
	Name  Span // the value of its name attribute, without quotes
	Value Span // the text of its <value> element, as written (entities unexpanded)
}

// resx holds the strings of a .resx file.
type resx struct {
	values map[string]string
	spans  map[string]ResourceSpan
	dups   []string // keys defined more than once, in order of redefinition
	src    []byte   // the text parsed
}

// parseResx reads the <data name="…"><value>…</value></data> entries of a
// .resx file. On malformed XML it returns an *xmlError locating the problem;
// what was read before the problem is returned with it.
func parseResx(data []byte) (*resx, error) {
	r := &resx{values: make(map[string]string), spans: make(map[string]ResourceSpan), src: data}
	d := newXMLDecoder(data)
	var (
		depth    int
		inData   bool
		inValue  bool
		key      string
		span     ResourceSpan
		value    strings.Builder
		sawValue bool
		sawRoot  bool
	)
	for {
		start := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r, &xmlError{Offset: int(d.InputOffset()), Err: err}
		}
		end := int(d.InputOffset())
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1:
				sawRoot = true
			case depth == 2 && t.Name.Local == "data":
				inData, sawValue = true, false
				key = attr(t, "name")
				span = ResourceSpan{Data: Span{start, end}, Name: attrSpan(data, start, end, "name")}
				value.Reset()
			case depth == 3 && inData && t.Name.Local == "value":
				inValue, sawValue = true, true
				span.Value = Span{end, end}
			}
		case xml.EndElement:
			switch {
			case depth == 3 && inValue:
				inValue = false
				span.Value.End = start
			case depth == 2 && inData:
				inData = false
				span.Data.End = end
				if !sawValue {
					span.Value = Span{span.Data.End, span.Data.End}
				}
				if _, dup := r.values[key]; dup {
					r.dups = append(r.dups, key)
				}
				r.values[key] = value.String()
				r.spans[key] = span
			}
			depth--
		case xml.CharData:
			if inValue {
				value.Write(t)
			}
		}
	}
	if !sawRoot {
		return r, &xmlError{Offset: len(data), Err: fmt.Errorf("no root element")}
	}
	return r, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// attrValue finds an attribute's value in the text of a start tag.
var attrValue = regexp.MustCompile(`\s([A-Za-z_:][-\w.:]*)\s*=\s*(?:"([^"]*)"|'([^']*)')`)

// attrSpan returns where the value of the attribute name is written in the
// start tag data[start:end], or the tag itself if it has no such attribute.
func attrSpan(data []byte, start, end int, name string) Span {
	for _, m := range attrValue.FindAllSubmatchIndex(data[start:end], -1) {
		if string(data[start+m[2]:start+m[3]]) != name {
			continue
		}
		if m[4] >= 0 {
			return Span{start + m[4], start + m[5]}
		}
		return Span{start + m[6], start + m[7]}
	}
	return Span{start, end}
}
