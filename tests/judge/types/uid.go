// Package types mirrors the one type of k8s.io/apimachinery pkg/types the policy's metadata uses, so that
// decode errors name it as kube-apiserver does ("of type types.UID").
package types

// UID is a string, as in k8s.io/apimachinery pkg/types uid.go.
type UID string
