output "namespaces" {
  description = "The namespaces created, by role."
  value = {
    geocrop    = kubernetes_namespace_v1.geocrop.metadata[0].name
    argocd     = kubernetes_namespace_v1.argocd.metadata[0].name
    monitoring = kubernetes_namespace_v1.monitoring.metadata[0].name
  }
}
