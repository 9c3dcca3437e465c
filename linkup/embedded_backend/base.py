"""PostgreSQL, on the embedded server: started (or found running) at the first
connection, so commands that never touch the database never start it."""

from django.db.backends.postgresql import base

from linkup import embedded_db


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        self.settings_dict.update(embedded_db.ensure_running(self.settings_dict["NAME"] or "postgres"))
        return super().get_connection_params()
