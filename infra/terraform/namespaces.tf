locals {
  common_labels = {
    "app.kubernetes.io/managed-by" = "terraform"
    "app.kubernetes.io/part-of"    = "geocrop"
  }
}

resource "kubernetes_namespace_v1" "geocrop" {
  metadata {
    name = var.geocrop_namespace
    labels = merge(local.common_labels, {
      # SinkBindings inject K_SINK into the functions here (required where the eventing webhook runs in
      # inclusion mode, harmless otherwise).
      "bindings.knative.dev/include" = "true"
    })
  }
}

resource "kubernetes_namespace_v1" "argocd" {
  metadata {
    name   = var.argocd_namespace
    labels = local.common_labels
  }
}

resource "kubernetes_namespace_v1" "monitoring" {
  metadata {
    name   = var.monitoring_namespace
    labels = local.common_labels
  }
}
