// Traefik's own module github.com/traefik/traefik/dynamic/ext, which Traefik's go.mod replaces by its
// local folder ./pkg/config/dynamic/ext. That folder is a module of its own, so it is not in the
// published github.com/traefik/traefik/v3 module, and the Go module proxy serves no version of it:
// this is a copy of traefik/traefik's pkg/config/dynamic/ext (go.mod and ext.go, unchanged since v3.6).
module github.com/traefik/traefik/dynamic/ext

go 1.26.0
