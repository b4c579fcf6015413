# The 4-core, 16 GiB homelab profile (docs/deploy.md, "Node size"), with knative/overlays/homelab-small:
#   terraform apply -var kubeconfig_path=/etc/rancher/k3s/k3s.yaml -var-file=homelab-4c16g.tfvars
# deploy-tests' ResourceBudgetTest checks that everything at max-scale fits these quotas and the node. Argo CD
# is not part of this profile (its seven pods ask for 0.7 CPU): apply with kubectl (docs/deploy.md, step 5a).
geocrop_quota = {
  requests_cpu    = "2"
  requests_memory = "8Gi"
  limits_cpu      = "20"
  limits_memory   = "14Gi"
  pods            = 20
  pvcs            = 6
  storage         = "100Gi"
}
