"""Backstage catalog interchange: read ``catalog-info.yaml`` entities, map them to an opsready
catalog (``opsready import backstage``), and write a catalog back as Backstage entities
(``opsready export backstage``).

Modules: ``entities`` (read entity files safely), ``refs`` (entity references and ids),
``mapping`` (entities -> teams, contacts, services, with what did not map), ``write`` (files on
disk, never over an existing one), ``export`` (catalog -> entities), ``detect`` (a Backstage
file met inside a catalog folder).
"""
