# The cluster's namespaces and their resource budgets. Everything inside the namespaces is applied from
# infra/k8s, infra/monitoring and knative/ (by Argo CD or kubectl), so Terraform state stays small.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.35"
    }
  }
}

provider "kubernetes" {
  config_path    = var.kubeconfig_path
  config_context = var.kube_context
}
