# web: the React map (web/) as static files behind nginx, which also passes the API's paths to submit-job and
# tile-render (infra/docker/web-nginx.conf): the browser sees one origin. Runs as nginx-unprivileged's uid 101
# on port 8080 with a read-only root; nginx writes only under /tmp (an emptyDir in the Knative Service).
#
# Build from the repository root:
#   docker build -f infra/docker/web.Dockerfile -t geocrop/web:$(git rev-parse HEAD) .
# In CI, Kaniko builds it (.gitea/workflows/build-push.yaml, job web-image). Base images pinned by digest (node
# from many public Dockerfiles, nginx-unprivileged from gchq/CyberChef's; verify with
# `crane digest node:22.17.0-bookworm-slim` and `crane digest nginxinc/nginx-unprivileged:1.28.2`).
ARG NODE_IMAGE=node:22.17.0-bookworm-slim@sha256:b04ce4ae4e95b522112c2e5c52f781471a5cbc3b594527bcddedee9bc48c03a0
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.28.2@sha256:04e56c3270e97da2b8fe2c1664cac35eeaa18c490bb8565df558989a4f43a431

FROM ${NODE_IMAGE} AS build
WORKDIR /web
# The packages of package-lock.json only; then the app's own checks ran in CI (ci.yaml), so only the build here.
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM ${NGINX_IMAGE}
COPY infra/docker/web-nginx.conf /etc/nginx/nginx.conf
COPY --from=build /web/dist/ /usr/share/nginx/html/
# No `nginx -t` here: it resolves the upstream names, which exist only in the cluster's DNS (WebProxyTest runs
# this config against local servers instead).
USER 101:101
EXPOSE 8080
ENTRYPOINT ["nginx", "-g", "daemon off;"]
