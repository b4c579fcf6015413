variable "kubeconfig_path" {
  description = "Kubeconfig of the cluster (k3s writes /etc/rancher/k3s/k3s.yaml)."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "Context in the kubeconfig; null uses its current context."
  type        = string
  default     = null
}

variable "geocrop_namespace" {
  description = "Namespace of the functions and the platform services (the Knative manifests say geocrop)."
  type        = string
  default     = "geocrop"
}

variable "argocd_namespace" {
  description = "Namespace Argo CD is installed into."
  type        = string
  default     = "argocd"
}

variable "monitoring_namespace" {
  description = "Namespace of Prometheus, Alertmanager and Grafana."
  type        = string
  default     = "monitoring"
}

variable "light_container_memory" {
  description = "Default memory limit of a container without one: the light services (submit-job, tile-render, sidecars) fit in it."
  type        = string
  default     = "512Mi"
}

variable "light_container_memory_request" {
  description = "Default memory request of a container without one."
  type        = string
  default     = "256Mi"
}

variable "worker_container_memory" {
  description = "Largest memory limit one container may ask for: the workers (extract-features, score-tile) use it."
  type        = string
  default     = "2Gi"
}

variable "default_container_cpu" {
  description = "Default CPU limit of a container without one."
  type        = string
  default     = "1"
}

variable "default_container_cpu_request" {
  description = "Default CPU request of a container without one."
  type        = string
  default     = "100m"
}

variable "max_container_cpu" {
  description = "Largest CPU limit one container may ask for."
  type        = string
  default     = "2"
}

variable "geocrop_quota" {
  description = "Resource budget of the geocrop namespace: every Knative Service at its max-scale in knative/overlays/homelab (3 + 2 workers of 2 GiB, 6 light instances of 512 MiB) with their queue-proxy sidecars (infra/knative-config), plus PostgreSQL, Redis, MinIO, MLflow and the setup Jobs. deploy-tests' ResourceBudgetTest sums them."
  type = object({
    requests_cpu    = string
    requests_memory = string
    limits_cpu      = string
    limits_memory   = string
    pods            = number
    pvcs            = number
    storage         = string
  })
  default = {
    requests_cpu    = "12"
    requests_memory = "16Gi"
    limits_cpu      = "32"
    limits_memory   = "32Gi"
    pods            = 40
    pvcs            = 6
    storage         = "100Gi"
  }
}

variable "monitoring_quota" {
  description = "Resource budget of the monitoring namespace."
  type = object({
    requests_cpu    = string
    requests_memory = string
    limits_cpu      = string
    limits_memory   = string
    pods            = number
    pvcs            = number
    storage         = string
  })
  default = {
    requests_cpu    = "1"
    requests_memory = "1Gi"
    limits_cpu      = "4"
    limits_memory   = "3Gi"
    pods            = 10
    pvcs            = 2
    storage         = "20Gi"
  }
}

variable "argocd_quota" {
  description = "Resource budget of the argocd namespace: Argo CD 3.x's 7 workloads set no resources, so the LimitRange gives each 1 CPU / 512 MiB of limits and 100m / 256 MiB of requests."
  type = object({
    requests_cpu    = string
    requests_memory = string
    limits_cpu      = string
    limits_memory   = string
    pods            = number
    pvcs            = number
    storage         = string
  })
  default = {
    requests_cpu    = "2"
    requests_memory = "3Gi"
    limits_cpu      = "8"
    limits_memory   = "6Gi"
    pods            = 20
    pvcs            = 2
    storage         = "10Gi"
  }
}
