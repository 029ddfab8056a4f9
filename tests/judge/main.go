// Command judge decodes audit policies the way kube-apiserver's LoadPolicyFromBytes does
// (k8s.io/apiserver pkg/audit/policy/reader.go), with the real go-yaml v2, sigs.k8s.io/yaml and
// sigs.k8s.io/json, so the TypeScript readers can be checked against them. It is a test tool: this
// project's own code, built from Debian's Go packages (scripts/ensure-go-judge.sh).
//
// Protocol: one JSON object per line on stdin, {"id": "...", "input": "<base64 bytes>"}; one JSON object
// per line on stdout, in the same order (see Verdict).
//
// The steps mirrored, in order:
//   - apimachinery's recognizer: bytes whose first non-space character is `{` (pkg/util/yaml IsJSONBuffer)
//     go to the JSON serializer; everything else to the YAML one, which converts with sigs.k8s.io/yaml
//     YAMLToJSON (go-yaml v2 Unmarshal of the first document).
//   - the meta factory reads apiVersion/kind with encoding/json ("couldn't get version/kind; json parse error");
//     a group/version/kind the audit scheme does not register fails before decoding ("no kind ... is registered").
//   - the strict decode (serializer.EnableStrict): YAMLToJSONStrict's error (duplicate keys) and
//     sigs.k8s.io/json UnmarshalStrict's unknown/duplicate fields are strict errors; any other error is fatal.
//   - on strict errors only, the lenient decode: UnmarshalCaseSensitivePreserveInts.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"unicode"

	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"./v1"
)

// Request is one policy to judge.
type Request struct {
	ID    string `json:"id"`
	Input string `json:"input"`
}

// Verdict is what kube-apiserver's decoding makes of one policy.
type Verdict struct {
	ID string `json:"id"`
	// JSON is true when the recognizer sends the bytes to the JSON serializer.
	JSON bool `json:"json"`
	// Converted is the JSON the YAML converted to (the input itself for JSON); null when conversion failed.
	Converted *string `json:"converted"`
	// OK is true when decoding (strict, or lenient after strict errors) succeeded.
	OK bool `json:"ok"`
	// Error is LoadPolicyFromBytes' error when decoding failed.
	Error string `json:"error"`
	// StrictErrors are the strict decoding errors that made it fall back to lenient decoding.
	StrictErrors []string `json:"strictErrors"`
	APIVersion   string   `json:"apiVersion"`
	Kind         string   `json:"kind"`
	// Policy is the decoded v1 Policy, marshalled again.
	Policy json.RawMessage `json:"policy"`
}

func isJSONBuffer(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeftFunc(data, unicode.IsSpace), []byte("{"))
}

func defaulted(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

func judge(id string, original []byte) Verdict {
	out := Verdict{ID: id, StrictErrors: []string{}, Policy: json.RawMessage("null")}
	data := original
	out.JSON = isJSONBuffer(original)
	if !out.JSON {
		converted, err := yaml.YAMLToJSON(original)
		if err != nil {
			out.Error = fmt.Sprintf("failed decoding: %v", err)
			return out
		}
		data = converted
	}
	text := string(data)
	out.Converted = &text

	meta := struct {
		APIVersion string `json:"apiVersion,omitempty"`
		Kind       string `json:"kind,omitempty"`
	}{}
	if err := json.Unmarshal(data, &meta); err != nil {
		out.Error = fmt.Sprintf("failed decoding: couldn't get version/kind; json parse error: %v", err)
		return out
	}
	out.APIVersion, out.Kind = meta.APIVersion, meta.Kind
	// The universal decoder creates the object for the data's group/version/kind before decoding into it:
	// only audit.k8s.io/v1 Policy is registered (and the internal version, which a missing apiVersion selects).
	if kind := defaulted(meta.Kind, "Policy"); meta.APIVersion != "" && (meta.APIVersion != "audit.k8s.io/v1" || kind != "Policy") {
		out.Error = fmt.Sprintf("failed decoding: no kind %q is registered for version %q in scheme %q", kind, meta.APIVersion, "k8s.io/apiserver/pkg/audit/scheme.go:30")
		return out
	}

	if !out.JSON {
		if _, err := yaml.YAMLToJSONStrict(original); err != nil {
			out.StrictErrors = append(out.StrictErrors, err.Error())
		}
	}
	policy := &v1.Policy{}
	strictErrs, err := kjson.UnmarshalStrict(data, policy)
	if err != nil {
		// a fatal error drops the strict errors gathered so far (json.go Serializer.unmarshal)
		out.StrictErrors = []string{}
		out.Error = fmt.Sprintf("failed decoding: %v", err)
		return out
	}
	for _, e := range strictErrs {
		out.StrictErrors = append(out.StrictErrors, e.Error())
	}
	if len(out.StrictErrors) > 0 {
		policy = &v1.Policy{}
		if err := kjson.UnmarshalCaseSensitivePreserveInts(data, policy); err != nil {
			out.Error = fmt.Sprintf("failed lenient decoding: %v", err)
			return out
		}
	}
	encoded, err := json.Marshal(policy)
	if err != nil {
		out.Error = fmt.Sprintf("judge: marshal: %v", err)
		return out
	}
	out.OK = true
	out.Policy = encoded
	return out
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<30)
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	for in.Scan() {
		var req Request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintf(os.Stderr, "judge: bad request: %v\n", err)
			os.Exit(2)
		}
		input, err := base64.StdEncoding.DecodeString(req.Input)
		if err != nil {
			fmt.Fprintf(os.Stderr, "judge: bad base64 in %s: %v\n", req.ID, err)
			os.Exit(2)
		}
		if err := enc.Encode(judge(req.ID, input)); err != nil {
			fmt.Fprintf(os.Stderr, "judge: %v\n", err)
			os.Exit(2)
		}
		w.Flush()
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "judge: %v\n", err)
		os.Exit(2)
	}
}
