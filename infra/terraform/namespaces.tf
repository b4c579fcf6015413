locals {
  common_labels = {
    "app.kubernetes.io/managed-by" = "terraform"
    "app.kubernetes.io/part-of"    = "geocrop"
  }
  # Pod Security Admission: the API server refuses privileged pods (host namespaces, host paths, added
  # capabilities) in every GeoCrop namespace, and warns about (and audits) any pod below "restricted", which
  # GeoCrop's own pods meet (deploy-tests ContainerHardeningTest). Not "enforce: restricted": pods that Knative and
  # the Redis source create there (queue-proxy, the source's adapter) are not ours to harden.
  pod_security_labels = {
    "pod-security.kubernetes.io/enforce" = "baseline"
    "pod-security.kubernetes.io/warn"    = "restricted"
    "pod-security.kubernetes.io/audit"   = "restricted"
  }
}

resource "kubernetes_namespace_v1" "geocrop" {
  metadata {
    name = var.geocrop_namespace
    labels = merge(local.common_labels, local.pod_security_labels, {
      # SinkBindings inject K_SINK into the functions here (required where the eventing webhook runs in
      # inclusion mode, harmless otherwise).
      "bindings.knative.dev/include" = "true"
    })
  }
}

resource "kubernetes_namespace_v1" "argocd" {
  metadata {
    name   = var.argocd_namespace
    labels = merge(local.common_labels, local.pod_security_labels)
  }
}

resource "kubernetes_namespace_v1" "monitoring" {
  metadata {
    name   = var.monitoring_namespace
    labels = merge(local.common_labels, local.pod_security_labels)
  }
}
