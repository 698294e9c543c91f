"""Operations: the local PostGIS cluster, getting a database ready (migrations, reference
data, demo), the Debian packages and front-end libraries the project installs, serving the
app, and the scheduled jobs (the weekly digest)."""
