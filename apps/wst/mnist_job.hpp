// `wst mnist`: the command's options (mnist.cpp) hand a configuration to the run that draws the
// progress and writes the outputs (mnist_report.cpp).
#pragma once
#include <string>

#include "wst/lab/mnist_config.hpp"

namespace wst::cli {

// Checks that out_dir can be written (IoError), runs lab::run_mnist with a progress board on
// stderr, writes out_dir/mnist.json and out_dir/mnist.md atomically and prints the Markdown.
void run_mnist_job(const lab::MnistConfig& config, const std::string& out_dir);

}  // namespace wst::cli
