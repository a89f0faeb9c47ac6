#include "api/conversions.hpp"

#include <string>

#include "api/api_error.hpp"

namespace dltdump::api {

input::InputFormat input_format(Format f) {
  switch (f) {
    case Format::file: return input::InputFormat::File;
    case Format::serial: return input::InputFormat::Serial;
    case Format::network: return input::InputFormat::Network;
    case Format::capture: return input::InputFormat::Pcap;
    case Format::automatic: return input::InputFormat::Automatic;
  }
  throw argument_error("format: " + std::to_string(static_cast<int>(f)) + " is no input format");
}

Format public_format(input::InputFormat f) {
  switch (f) {
    case input::InputFormat::Serial: return Format::serial;
    case input::InputFormat::Network: return Format::network;
    case input::InputFormat::Pcap: return Format::capture;
    case input::InputFormat::File:
    case input::InputFormat::Automatic: break;
  }
  return Format::file;
}

dlt::TimeColumn time_column_of(TimeColumn t) {
  switch (t) {
    case TimeColumn::local: return dlt::TimeColumn::Local;
    case TimeColumn::utc: return dlt::TimeColumn::Utc;
    case TimeColumn::iso: return dlt::TimeColumn::Iso;
    case TimeColumn::relative: return dlt::TimeColumn::Relative;
    case TimeColumn::device: return dlt::TimeColumn::Device;
  }
  throw argument_error("time: " + std::to_string(static_cast<int>(t)) + " is no TIME column");
}

dlt::LineFormatter::Style style_of(OutputFormat f) {
  switch (f) {
    case OutputFormat::json: return dlt::LineFormatter::Style::Json;
    case OutputFormat::csv: return dlt::LineFormatter::Style::Csv;
    default: return dlt::LineFormatter::Style::Text;
  }
}

}  // namespace dltdump::api
