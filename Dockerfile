# syntax=docker/dockerfile:1
# kuaiji: one static binary with the policy corpus embedded (policies/embed.go).
# Build:  docker build -t kuaiji .
# Run:    docker compose up -d   (see docker-compose.yml and README "Running in production")

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so source edits do not refetch them.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# CGO off: a static binary that runs on an image without libc.
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/kuaiji ./cmd/kuaiji \
 && mkdir -p /out/data

# distroless/static carries CA certificates (api.telegram.org, LLM endpoints)
# and tzdata, and no shell: the HEALTHCHECK uses the binary itself.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/kuaiji /kuaiji
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV KUAIJI_DATA_DIR=/data \
    HTTP_ADDR=:9090 \
    KUAIJI_LOG_FORMAT=json
EXPOSE 9090 8080
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/kuaiji", "healthcheck"]
ENTRYPOINT ["/kuaiji"]
CMD ["serve"]
