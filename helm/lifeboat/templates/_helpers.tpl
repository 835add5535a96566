{{/* Chart name, limited to the 63 characters of a DNS label. */}}
{{- define "lifeboat.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified prefix of every object name. */}}
{{- define "lifeboat.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Name of one service's Deployment and Service; call with (dict "root" $ "service" "backup"). */}}
{{- define "lifeboat.serviceFullname" -}}
{{- printf "%s-%s-service" (include "lifeboat.fullname" .root) .service | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "lifeboat.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: lifeboat
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one service; call with (dict "root" $ "service" "backup"). */}}
{{- define "lifeboat.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lifeboat.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .service }}-service
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "lifeboat.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lifeboat.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image of one service; call with (dict "root" $ "service" "backup"). */}}
{{- define "lifeboat.image" -}}
{{- printf "%s/%s-service:%s" .root.Values.image.repository .service (default .root.Chart.AppVersion .root.Values.image.tag) }}
{{- end }}
