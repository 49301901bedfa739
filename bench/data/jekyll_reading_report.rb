# A Jekyll plugin for bench/jekyll_reading.py and the tests: once Jekyll has read the site,
# write every page, static file and collection document it read (and whether it writes it)
# to the JSON file named by READING_REPORT, and stop before rendering.
require "json"

Jekyll::Hooks.register :site, :post_read do |site|
  read = site.pages.map { |page| { "path" => page.relative_path, "write" => true } }
  read += site.static_files.map { |file| { "path" => file.relative_path.sub(%r!\A/!, ""), "write" => file.write? } }
  site.collections.each_value do |collection|
    read += collection.docs.map { |doc| { "path" => doc.relative_path, "write" => doc.write? } }
  end
  File.write(ENV.fetch("READING_REPORT"), JSON.generate(read))
  Process.exit!(0)
end
