# MLflow tracking server and model registry with the drivers GeoCrop's deployment needs baked in: psycopg2 (the
# PostgreSQL backend store) and boto3 (artifacts in MinIO). The official image has neither, and installing them
# when the pod starts needs the internet, which many homelabs do not give their pods. Built by the mlflow-image
# job of .gitea/workflows/build-push.yaml (Kaniko, --reproducible) and pinned by digest in infra/k8s.
#
#   docker build -f infra/docker/mlflow.Dockerfile -t geocrop/mlflow infra/docker
# MLflow 3.16.1, pinned by the digest infra/k8s used before (verify with `crane digest ghcr.io/mlflow/mlflow:v3.16.1`).
ARG MLFLOW_IMAGE=ghcr.io/mlflow/mlflow:v3.16.1@sha256:6b6ec62130dd9a273b24e53e905bdc728b915fbd2dfb71f2fb7eff9a22f7fa67

FROM ${MLFLOW_IMAGE} AS drivers
# Wheels only (no compiler in the image): psycopg2-binary ships libpq inside its wheel.
RUN pip install --no-cache-dir --only-binary=:all: --target /opt/mlflow-deps \
      psycopg2-binary==2.9.10 \
      boto3==1.35.99

FROM ${MLFLOW_IMAGE}
COPY --from=drivers /opt/mlflow-deps /opt/mlflow-deps
ENV PYTHONPATH=/opt/mlflow-deps \
    HOME=/tmp
# The drivers must import at build time, not at the first request.
RUN python -c "import psycopg2, boto3; print('psycopg2', psycopg2.__version__, 'boto3', boto3.__version__)"
USER 10001:10001
EXPOSE 5000
ENTRYPOINT ["mlflow"]
