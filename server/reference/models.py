"""Reference data loaded by the migrations: Thai administrative divisions and the taxonomy."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.database import Base


class AdminArea(Base):
    """A province (2-digit code), district (4) or subdistrict (6), DOPA geocodes."""

    __tablename__ = "admin_areas"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    level: Mapped[str] = mapped_column(String(12))  # province | district | subdistrict
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("admin_areas.code"), index=True)
    name_th: Mapped[str]
    name_en: Mapped[str]
    postal_code: Mapped[str | None] = mapped_column(String(5))
    lat: Mapped[float | None]
    lon: Mapped[float | None]


class Sector(Base):
    __tablename__ = "sectors"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_th: Mapped[str]
    name_en: Mapped[str]


class Hazard(Base):
    __tablename__ = "hazards"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_th: Mapped[str]
    name_en: Mapped[str]
    climate: Mapped[bool]
