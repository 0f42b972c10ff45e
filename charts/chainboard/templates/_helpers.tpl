{{/* The chart's name, or nameOverride. */}}
{{- define "chainboard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The objects' name: the release name when it already holds the chart name (release "chainboard" gives
the kustomize base's names), else "<release>-<chart>". */}}
{{- define "chainboard.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "chainboard.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "chainboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "chainboard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "chainboard.labels" -}}
{{ include "chainboard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "chainboard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "chainboard.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The claim the embedded store lives on, or "" when there is none. */}}
{{- define "chainboard.claimName" -}}
{{- if and .Values.persistence.enabled (not .Values.database.existingSecret) -}}
{{- default (printf "%s-data" (include "chainboard.fullname" .)) .Values.persistence.existingClaim -}}
{{- end -}}
{{- end -}}

{{/* Base read rules: exactly what Chainboard watches (deploy/base/rbac.yaml). The namespaced form drops the
cluster-scoped kinds (namespaces, ingressclasses), which a Role cannot grant. */}}
{{- define "chainboard.baseRules" -}}
{{- $cluster := eq .mode "cluster" -}}
- apiGroups: [""]
  resources: [{{ if $cluster }}"namespaces", {{ end }}"services", "pods", "events"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses"{{ if $cluster }}, "ingressclasses"{{ end }}]
  verbs: ["get", "list", "watch"]
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["get", "list", "watch"]
{{- end -}}

{{/* The optional read groups, as deploy/optional/*: name suffix -> rules. */}}
{{- define "chainboard.optionalGroups" -}}
{{- $r := .Values.rbac.read -}}
{{- if $r.secrets }}
tls-secrets-reader:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get", "list", "watch"]
{{- end }}
{{- if $r.certManager }}
cert-manager-reader:
  - apiGroups: ["cert-manager.io"]
    resources: ["certificates", "certificaterequests", "issuers", "clusterissuers"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["acme.cert-manager.io"]
    resources: ["orders", "challenges"]
    verbs: ["get", "list", "watch"]
{{- end }}
{{- if $r.traefikMiddlewares }}
traefik-middleware-reader:
  - apiGroups: ["traefik.io"]
    resources: ["middlewares"]
    verbs: ["get", "list", "watch"]
{{- end }}
{{- if $r.traefikIngressRoutes }}
traefik-ingressroute-reader:
  - apiGroups: ["traefik.io"]
    resources: ["ingressroutes"]
    verbs: ["get", "list", "watch"]
{{- end }}
{{- if $r.gatewayAPI }}
gateway-api-reader:
  - apiGroups: ["gateway.networking.k8s.io"]
    resources: ["gatewayclasses", "gateways", "httproutes", "referencegrants"]
    verbs: ["get", "list", "watch"]
{{- end }}
{{- end -}}
