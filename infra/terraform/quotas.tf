# One ResourceQuota and one LimitRange per namespace. The LimitRange gives every container without its own
# resources the light default (512 MiB) and caps any container at the worker size (2 GiB), so a quota on
# limits never rejects a pod for missing limits (Knative's queue-proxy sets requests only).

locals {
  budgets = {
    geocrop    = { namespace = kubernetes_namespace_v1.geocrop.metadata[0].name, quota = var.geocrop_quota }
    monitoring = { namespace = kubernetes_namespace_v1.monitoring.metadata[0].name, quota = var.monitoring_quota }
    argocd     = { namespace = kubernetes_namespace_v1.argocd.metadata[0].name, quota = var.argocd_quota }
  }
}

resource "kubernetes_resource_quota_v1" "budget" {
  for_each = local.budgets

  metadata {
    name      = "${each.key}-budget"
    namespace = each.value.namespace
    labels    = local.common_labels
  }

  spec {
    hard = {
      "requests.cpu"           = each.value.quota.requests_cpu
      "requests.memory"        = each.value.quota.requests_memory
      "limits.cpu"             = each.value.quota.limits_cpu
      "limits.memory"          = each.value.quota.limits_memory
      "pods"                   = each.value.quota.pods
      "persistentvolumeclaims" = each.value.quota.pvcs
      "requests.storage"       = each.value.quota.storage
    }
  }
}

resource "kubernetes_limit_range_v1" "defaults" {
  for_each = local.budgets

  metadata {
    name      = "${each.key}-container-defaults"
    namespace = each.value.namespace
    labels    = local.common_labels
  }

  spec {
    limit {
      type = "Container"
      default = {
        cpu    = var.default_container_cpu
        memory = var.light_container_memory
      }
      default_request = {
        cpu    = var.default_container_cpu_request
        memory = var.light_container_memory_request
      }
      max = {
        cpu    = var.max_container_cpu
        memory = var.worker_container_memory
      }
    }
  }
}
